"""The publishing wing: every copy of the package that leaves it.

Owns: the codebook and the README diagram (`codebook`, `peacetalks docs`), the generated parts of the
descriptor and CITATION.cff (`metadata`), the record every export carries (`about`), the coding manual's
generated appendix (`manual`), the SQLite, Parquet, XLSX and JSON exports (`export`) with the Datasette
metadata beside the SQLite file (`datasette`), safe output names (`names`), and the release zip with its
README (`release`, `zip_readme`).

May import: this wing, `peacetalks.analysis` and `peacetalks.validation`. Never `site` or the command line.
"""

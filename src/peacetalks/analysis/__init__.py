"""The analysis wing: what the tables say, computed from `load()`'s typed tables or the raw package.

Owns: sides' positions by proposition (`positions`, public as `peacetalks.positions`), counts per table,
source and unit (`stats`, `peacetalks stats`), what changed between two versions of the package (`diff`,
`peacetalks diff`) and the coders' agreement (`reliability`).

May import: this wing and `peacetalks.validation`. Never `publish`, `site` or the command line.
"""

"""The validation wing, the lowest floor: finding, reading, checking and loading a package.

Owns: locating the descriptor (`locate`), reading it and its files safely (`package`, `raw`, `ownfiles`),
the six layers of `peacetalks validate` (`structure`, `descriptor`, `columns`, `keys`, `links`,
`provenance`, run by `engine`; the dataset rules in checks/ are plugged in by `rulebook`), the
problem report (`report`), dates and written numbers (`dates`, `numbers`), and `load()` (`loader`), which
returns typed tables already placed in time (`timeline`).

May import: only this wing and `peacetalks.checks` (the dataset rules, which themselves import only this wing).
Every other wing builds on it. Named `validation`, not `validate`, so that the package attribute
`peacetalks.validate` stays the function (a subpackage of that name would replace it on first import).
"""

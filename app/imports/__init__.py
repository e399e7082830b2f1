"""File imports and exports: catalogue, stock counts, channel orders, availability feeds.

One module per file format. Each reads a whole file, collects EVERY problem as
`file:line: field: what is wrong` (CSV) or `file:path.field: what is wrong` (JSON),
and hands clean values to the services, which change nothing when a problem is found.
"""

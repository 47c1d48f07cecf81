"""Everything that crosses the process boundary: readers, the SQLite store, output formats."""

// Messages module: see docs/ARCHITECTURE.md.

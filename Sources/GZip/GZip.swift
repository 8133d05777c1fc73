// GZip module: see docs/ARCHITECTURE.md.

// Posix module: see docs/ARCHITECTURE.md.

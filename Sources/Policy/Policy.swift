// The Policy module: see docs/ARCHITECTURE.md.

// The ModelCache module: see docs/ARCHITECTURE.md.

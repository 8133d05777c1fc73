// InteropService module: see docs/ARCHITECTURE.md.

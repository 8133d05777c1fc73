// The Tenancy module: see docs/ARCHITECTURE.md.

// TLS module: see docs/ARCHITECTURE.md.

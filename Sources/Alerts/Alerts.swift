// The Alerts module: see docs/ARCHITECTURE.md.

// HTTP2 module: see docs/ARCHITECTURE.md.

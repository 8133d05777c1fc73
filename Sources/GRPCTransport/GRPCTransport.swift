// GRPCTransport module: see docs/ARCHITECTURE.md.

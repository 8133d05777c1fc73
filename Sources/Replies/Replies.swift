// The Replies module: see docs/ARCHITECTURE.md.

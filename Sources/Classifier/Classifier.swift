// Classifier module: see docs/ARCHITECTURE.md.

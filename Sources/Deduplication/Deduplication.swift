// Deduplication: see docs/ARCHITECTURE.md.

// Translation: see docs/ARCHITECTURE.md.

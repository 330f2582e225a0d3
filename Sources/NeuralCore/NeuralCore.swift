// NeuralCore: see docs/ARCHITECTURE.md.

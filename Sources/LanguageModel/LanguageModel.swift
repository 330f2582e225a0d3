// LanguageModel: see docs/ARCHITECTURE.md.

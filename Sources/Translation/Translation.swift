// Translation: an attention encoder–decoder, its trainer, greedy and beam search, and BLEU.
// See docs/ARCHITECTURE.md and DESIGN.md ("Translator").

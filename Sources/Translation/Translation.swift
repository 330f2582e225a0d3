// Translation: an attention encoder–decoder (Translator), its trainer, greedy and beam search, and
// sacreBLEU-exact BLEU. See docs/DESIGN.md ("Translator") and docs/ARCHITECTURE.md.

/// The ids of the four special tokens, as the vocabularies hold them.
public struct SpecialTokens: Equatable, Sendable {
    public var pad: Int32, unk: Int32, bos: Int32, eos: Int32
    public init(pad: Int32, unk: Int32, bos: Int32, eos: Int32) {
        self.pad = pad
        self.unk = unk
        self.bos = bos
        self.eos = eos
    }
}

/// How text becomes tokens; stored as the `tokenizer` object of a model's `config.json`, so that a
/// model always tokenizes the way it was trained:
///
///     {"kind": "icu", "normalization": "nfkc_cf", "keep_punctuation": false,
///      "protected_tokens": ["<pad>", "<unk>", "<bos>", "<eos>"], "icu_version": "72.1"}
///     {"kind": "whitespace"}
public struct TokenizerSettings: Codable, Sendable, Hashable {
    /// The tokenizer family.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// NFKC (case-folded by default), then ICU word segments (UAX #29 plus dictionaries for
        /// Chinese, Japanese, Thai, ...); punctuation, symbols and emoji dropped unless kept.
        case icu
        /// Split on white space and nothing else, for pre-tokenized corpora such as Penn Treebank.
        case whitespace
    }

    /// The four special tokens every Glossa vocabulary starts with; always protected.
    public static let specialTokens = ["<pad>", "<unk>", "<bos>", "<eos>"]

    public var kind: Kind
    /// The ICU normalization applied before segmentation (ICU kind only); nil for none.
    public var normalization: ICUNormalizer.Form?
    /// Keep every segment that is not only white space (punctuation, symbols, emoji too).
    public var keepPunctuation: Bool
    /// Tokens kept whole where they occur in the raw text; always includes the special tokens.
    public var protectedTokens: [String]
    /// The ICU version the settings were recorded with (ICU kind only).
    public var icuVersion: String?

    /// ICU settings: `nfkc_cf` (or plain `nfkc` without case folding), word segments, the special
    /// tokens and `protectedTokens` protected, recorded with this binary's ICU version.
    public static func icu(casefold: Bool = true, keepPunctuation: Bool = false,
                           protectedTokens: [String] = []) -> TokenizerSettings {
        var all = specialTokens
        for token in protectedTokens where !all.contains(token) { all.append(token) }
        return TokenizerSettings(kind: .icu, normalization: casefold ? .nfkcCasefold : .nfkc,
                                 keepPunctuation: keepPunctuation, protectedTokens: all, icuVersion: ICU.version)
    }

    /// Whitespace settings: split on white space, nothing else.
    public static var whitespace: TokenizerSettings {
        TokenizerSettings(kind: .whitespace, normalization: nil, keepPunctuation: true, protectedTokens: [], icuVersion: nil)
    }

    public init(kind: Kind, normalization: ICUNormalizer.Form?, keepPunctuation: Bool,
                protectedTokens: [String], icuVersion: String?) {
        self.kind = kind
        self.normalization = normalization
        self.keepPunctuation = keepPunctuation
        self.protectedTokens = protectedTokens
        self.icuVersion = icuVersion
    }

    /// Whether the ICU path case-folds.
    public var casefold: Bool { normalization == .nfkcCasefold }

    /// A warning when these settings were recorded with another ICU version than the one running
    /// (segmentation and normalization may differ slightly), else nil.
    public var icuVersionWarning: String? {
        guard kind == .icu, let recorded = icuVersion, recorded != ICU.version else { return nil }
        return "tokenizer settings were recorded with ICU \(recorded); this binary runs ICU \(ICU.version), so a few tokens may differ"
    }

    enum CodingKeys: String, CodingKey {
        case kind, normalization
        case keepPunctuation = "keep_punctuation"
        case protectedTokens = "protected_tokens"
        case icuVersion = "icu_version"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        switch kind {
        case .whitespace:
            self = .whitespace
        case .icu:
            normalization = try container.decodeIfPresent(ICUNormalizer.Form.self, forKey: .normalization)
            keepPunctuation = try container.decodeIfPresent(Bool.self, forKey: .keepPunctuation) ?? false
            var tokens = try container.decodeIfPresent([String].self, forKey: .protectedTokens) ?? []
            for special in TokenizerSettings.specialTokens.reversed() where !tokens.contains(special) { tokens.insert(special, at: 0) }
            protectedTokens = tokens
            icuVersion = try container.decodeIfPresent(String.self, forKey: .icuVersion)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        guard kind == .icu else { return }
        try container.encode(normalization, forKey: .normalization)
        try container.encode(keepPunctuation, forKey: .keepPunctuation)
        try container.encode(protectedTokens, forKey: .protectedTokens)
        try container.encodeIfPresent(icuVersion, forKey: .icuVersion)
    }
}

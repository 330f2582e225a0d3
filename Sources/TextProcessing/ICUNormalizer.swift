import CICU

/// Unicode normalization by the system ICU. Stateless and safe to share between threads.
///
///     ICUNormalizer(.nfkcCasefold).normalize("Straße ＡＢＣ")   // "strasse abc"
public struct ICUNormalizer: Sendable, Hashable {
    /// A normalization form. `nfkcCasefold` is ICU's "nfkc_cf": NFKC, full case folding and removal of
    /// default-ignorable code points.
    public enum Form: String, Codable, Sendable, CaseIterable {
        case nfc, nfd, nfkc, nfkd
        case nfkcCasefold = "nfkc_cf"

        var code: Int32 {
            switch self {
            case .nfc: return Int32(GLOSSA_NFC)
            case .nfd: return Int32(GLOSSA_NFD)
            case .nfkc: return Int32(GLOSSA_NFKC)
            case .nfkd: return Int32(GLOSSA_NFKD)
            case .nfkcCasefold: return Int32(GLOSSA_NFKC_CASEFOLD)
            }
        }
    }

    public let form: Form

    public init(_ form: Form) { self.form = form }

    /// `text` in this normalization form.
    public func normalize(_ text: String) -> String {
        let source = Array(text.utf16)
        var capacity = source.count * 2 + 16
        while true {
            var status: Int32 = 0
            var destination = [UInt16](repeating: 0, count: capacity)
            let length = glossa_normalize_utf16(form.code, source, Int32(source.count), &destination, Int32(capacity), &status)
            precondition(length >= 0, "ICU normalization failed: \(ICU.errorName(status))")
            if Int(length) <= capacity { return String(decoding: destination[..<Int(length)], as: UTF16.self) }
            capacity = Int(length)
        }
    }

    /// Whether `text` is already in this normalization form.
    public func isNormalized(_ text: String) -> Bool {
        let source = Array(text.utf16)
        var status: Int32 = 0
        let result = glossa_is_normalized_utf16(form.code, source, Int32(source.count), &status)
        precondition(result >= 0, "ICU normalization check failed: \(ICU.errorName(status))")
        return result == 1
    }
}

/// Joins tokens back into text for people to read: single spaces, except none before closing
/// punctuation ("." "," ")" "!" ...), none after opening brackets and quotes ("(" "[" "«" "¿" ...),
/// straight quotes taken as opening and closing in turn, clitics such as "'s" and "n't" attached to
/// the word before, and none between two tokens of scripts written without spaces (Chinese,
/// Japanese, Thai, ...).
///
///     Detokenizer.join(["a", "dog", "(", "brown", ")", "runs", "."])   // "a dog (brown) runs."
public enum Detokenizer {
    static let closing: Set<String> = [".", ",", ";", ":", "!", "?", ")", "]", "}", "»", "”", "’", "%", "…",
                                       "...", "。", "、", "，", "！", "？", "：", "；", "）", "」", "』", "›"]
    static let opening: Set<String> = ["(", "[", "{", "«", "“", "‘", "¿", "¡", "（", "「", "『", "‹", "$", "£", "€", "#"]
    static let clitics: Set<String> = ["'s", "'re", "'ve", "'ll", "'d", "'m", "n't", "'S", "'RE", "'VE", "'LL", "'D", "'M", "N'T"]

    /// The tokens joined as described above.
    public static func join(_ tokens: [String]) -> String {
        var text = ""
        var noSpaceNext = true
        var openDouble = false, openSingle = false
        var previous: String?
        for token in tokens where !token.isEmpty {
            var spaceBefore = !noSpaceNext
            noSpaceNext = false
            if closing.contains(token) || clitics.contains(token) {
                spaceBefore = false
            } else if opening.contains(token) {
                noSpaceNext = true
            } else if token == "\"" || token == "'" {
                let isOpen = token == "\"" ? !openDouble : !openSingle
                if token == "\"" { openDouble.toggle() } else { openSingle.toggle() }
                if isOpen { noSpaceNext = true } else { spaceBefore = false }
            } else if let previous, isUnspaced(previous.unicodeScalars.last), isUnspaced(token.unicodeScalars.first) {
                spaceBefore = false
            }
            if spaceBefore { text.append(" ") }
            text.append(token)
            previous = token
        }
        return text
    }

    /// Scripts written without spaces between words: Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar.
    static func isUnspaced(_ scalar: Unicode.Scalar?) -> Bool {
        guard let v = scalar?.value else { return false }
        switch v {
        case 0x0E00...0x0EFF, 0x1000...0x109F, 0x1780...0x17FF, 0x3040...0x30FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F, 0xFF66...0xFF9F:
            return true
        default:
            return false
        }
    }
}

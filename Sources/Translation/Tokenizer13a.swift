/// The `13a` tokenizer of sacreBLEU (mteval-v13a.pl's), reproduced character for character so that
/// `BLEU` equals `sacrebleu` on the same files. Works on Unicode scalars, as Python's `str` does.
public enum Tokenizer13a {
    /// Tokenizes one segment: the tokens joined by single spaces (what sacreBLEU's `Tokenizer13a`
    /// returns for `line`).
    public static func tokenize(_ line: String) -> String {
        tokens(line).joined(separator: " ")
    }

    /// The tokens of one segment.
    public static func tokens(_ line: String) -> [String] {
        var text = line
        text = text.replacingAll("<skipped>", with: "")
        text = text.replacingAll("-\n", with: "")
        text = text.replacingAll("\n", with: " ")
        if text.unicodeScalars.contains("&") {
            text = text.replacingAll("&quot;", with: "\"")
            text = text.replacingAll("&amp;", with: "&")
            text = text.replacingAll("&lt;", with: "<")
            text = text.replacingAll("&gt;", with: ">")
        }
        var scalars = [Unicode.Scalar](" ".unicodeScalars) + Array(text.unicodeScalars) + [" "]
        scalars = isolatePunctuation(scalars)
        scalars = rewritePairs(scalars, where: { !isDigit($0) && isPeriodOrComma($1) }) { [$0, " ", $1, " "] }  // ([^0-9])([\.,]) → `\1 \2 `
        scalars = rewritePairs(scalars, where: { isPeriodOrComma($0) && !isDigit($1) }) { [" ", $0, " ", $1] }  // ([\.,])([^0-9]) → ` \1 \2`
        scalars = rewritePairs(scalars, where: { isDigit($0) && $1 == "-" }) { [$0, " ", $1, " "] }             // ([0-9])(-) → `\1 \2 `
        return PythonWhitespace.split(scalars)
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
    private static func isPeriodOrComma(_ s: Unicode.Scalar) -> Bool { s == "." || s == "," }

    /// `([\{-\~\[-\` -\&\(-\+\:-\@\/])` → ` \1 `.
    private static func isolatePunctuation(_ input: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(input.count * 2)
        for s in input {
            let v = s.value
            let hit = (0x7B...0x7E).contains(v) || (0x5B...0x60).contains(v) || (0x20...0x26).contains(v)
                || (0x28...0x2B).contains(v) || (0x3A...0x40).contains(v) || v == 0x2F
            if hit { out.append(" "); out.append(s); out.append(" ") } else { out.append(s) }
        }
        return out
    }

    /// Every leftmost, non-overlapping pair (a, b) that `matches` replaced by `replacement(a, b)`: what
    /// `re.sub` does with a pattern of two one-character groups.
    private static func rewritePairs(_ input: [Unicode.Scalar], where matches: (Unicode.Scalar, Unicode.Scalar) -> Bool,
                                     _ replacement: (Unicode.Scalar, Unicode.Scalar) -> [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(input.count + 16)
        var i = 0
        while i < input.count {
            if i + 1 < input.count, matches(input[i], input[i + 1]) {
                out += replacement(input[i], input[i + 1])
                i += 2
            } else {
                out.append(input[i]); i += 1
            }
        }
        return out
    }
}

/// Python's notion of whitespace (`str.split()`, `str.rstrip()`), which sacreBLEU relies on.
enum PythonWhitespace {
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `str.split()` with no argument.
    static func split(_ scalars: [Unicode.Scalar]) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for s in scalars {
            if isSpace(s) {
                if !current.isEmpty { words.append(String(current)); current = String.UnicodeScalarView() }
            } else {
                current.append(s)
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// `str.rstrip()` with no argument.
    static func rstrip(_ text: String) -> String {
        var scalars = text.unicodeScalars[...]
        while let last = scalars.last, isSpace(last) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}

extension String {
    /// Python's `str.replace(old, new)` over Unicode scalars (no grapheme matching).
    func replacingAll(_ old: String, with new: String) -> String {
        let haystack = Array(unicodeScalars), needle = Array(old.unicodeScalars)
        guard !needle.isEmpty, haystack.count >= needle.count else { return self }
        var out = String.UnicodeScalarView()
        var i = 0
        var changed = false
        while i < haystack.count {
            if i + needle.count <= haystack.count, haystack[i] == needle[0],
               haystack[i..<(i + needle.count)].elementsEqual(needle) {
                out.append(contentsOf: new.unicodeScalars)
                i += needle.count
                changed = true
            } else {
                out.append(haystack[i]); i += 1
            }
        }
        return changed ? String(out) : self
    }
}

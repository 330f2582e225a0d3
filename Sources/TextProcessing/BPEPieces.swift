/// Subword pieces back into words: a piece ending in the separator (`@@`) continues into the next,
/// as `sed -E 's/(@@ )|(@@ ?$)//g'` undoes apply-bpe.
///
///     BPEPieces.words(["low@@", "est", "new@@", "er"])   // ["lowest", "newer"]
public enum BPEPieces {
    /// The words the pieces spell. A separator on the last piece is dropped.
    public static func words(_ pieces: [String], separator: String = "@@") -> [String] {
        var words: [String] = []
        var current = ""
        var open = false
        for piece in pieces {
            if piece.hasSuffix(separator) {
                current += piece.dropLast(separator.count)
                open = true
            } else {
                words.append(current + piece)
                current = ""
                open = false
            }
        }
        if open { words.append(current) }
        return words
    }

    /// Whether `piece` continues into the next piece.
    @inline(__always)
    public static func continues(_ piece: String, separator: String = "@@") -> Bool { piece.hasSuffix(separator) }
}

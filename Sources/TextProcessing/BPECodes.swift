import Foundation

/// A byte-pair encoding codes file, as subword-nmt 0.3.8 `learn-bpe` writes it and `apply-bpe`
/// reads it: the header `#version: 0.2`, then one merge per line, the two symbols separated by one
/// space, in the order they were learned. A word's last character carries the end-of-word mark
/// `</w>` (`e r</w>` merges `e` with a word-final `r`).
///
///     #version: 0.2
///     t h
///     th e</w>
public struct BPECodes: Equatable, Sendable {
    /// One merge: the symbols `left` and `right` become the symbol `left + right`.
    public struct Merge: Equatable, Hashable, Sendable {
        public var left: String
        public var right: String
        public init(_ left: String, _ right: String) {
            self.left = left
            self.right = right
        }
    }

    /// The first line of every codes file Glossa writes and reads.
    public static let header = "#version: 0.2"
    /// The mark learn-bpe appends to a word's last character.
    public static let endOfWord = "</w>"

    /// The merges in the order they were learned (rank 0 first). A pair listed twice keeps its
    /// first rank, as in apply-bpe.
    public var merges: [Merge]

    public init(merges: [Merge] = []) { self.merges = merges }

    /// The file's text: the header, then `left right` per merge, each line ending in "\n".
    public var text: String {
        var text = BPECodes.header + "\n"
        for merge in merges {
            text += merge.left
            text += " "
            text += merge.right
            text += "\n"
        }
        return text
    }

    /// Writes the codes to `path` atomically (temporary file + rename).
    public func write(to path: String) throws { try AtomicFile.write(text, to: path) }

    /// Reads a codes file. A file that is not one is an `InputError` naming the file and line:
    /// a first line other than `#version: 0.2`, a line that is not two symbols separated by one
    /// space (after removing spaces and "\r" at its ends, as apply-bpe does), invalid UTF-8. Empty
    /// lines at the end are ignored; a file with only the header has no merges.
    public init(contentsOf path: String) throws {
        try self.init(lines: try LineReader.lines(of: path), source: path)
    }

    /// Parses the lines of a codes file (without line breaks); `source` names it in errors.
    public init(lines: [String], source: String) throws {
        guard let first = lines.first, first.hasPrefix("#version:") else {
            throw InputError("not a BPE codes file: the first line must be \"\(BPECodes.header)\" (as subword-nmt learn-bpe writes)",
                             file: source, line: 1)
        }
        let version = BPECodes.version(of: first)
        guard version == [0, 2] else {
            throw InputError("unsupported BPE codes version \"\(first.dropFirst(9).trimmingCharacters(in: .whitespaces))\"; Glossa reads version 0.2 (subword-nmt 0.2 and later)",
                             file: source, line: 1)
        }
        var end = lines.count
        while end > 1 && lines[end - 1].isEmpty { end -= 1 }
        var merges: [Merge] = []
        merges.reserveCapacity(end)
        for number in 1..<end {
            let fields = BPECodes.stripped(lines[number]).split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw InputError("not a merge: \(BPECodes.preview(lines[number])); each line after the header holds two symbols separated by one space",
                                 file: source, line: number + 1)
            }
            merges.append(Merge(String(fields[0]), String(fields[1])))
        }
        self.merges = merges
    }

    /// apply-bpe's version: the header's last field without trailing ".0" groups, as integers
    /// (`#version: 0.2` → [0, 2]); nil when it is not numbers.
    static func version(of header: String) -> [Int]? {
        guard var field = header.split(whereSeparator: \.isWhitespace).last.map(String.init) else { return nil }
        while let dot = field.lastIndex(of: "."), field.index(after: dot) < field.endIndex,
              field[field.index(after: dot)...].allSatisfy({ $0 == "0" }) {
            field = String(field[..<dot])
        }
        let parts = field.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        return parts.contains(nil) ? nil : parts.map { $0! }
    }

    /// `line.strip('\r\n ')` in Python.
    static func stripped(_ line: String) -> Substring {
        let scalars = line.unicodeScalars
        let isStripped: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\r" || $0 == "\n" }
        guard let start = scalars.firstIndex(where: { !isStripped($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isStripped($0) })!
        return Substring(scalars[start...last])
    }

    /// The line quoted for an error message, escaped and cut to 60 characters so it stays one line.
    static func preview(_ line: String) -> String {
        let cut = line.unicodeScalars.count > 60 ? String(String.UnicodeScalarView(line.unicodeScalars.prefix(60))) + "…" : line
        return cut.debugDescription
    }
}

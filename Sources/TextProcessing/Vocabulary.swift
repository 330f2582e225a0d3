/// Tokens and their ids: line i of `vocab.txt` (from 0) is the token with id i. The special tokens
/// `<pad>`, `<unk>`, `<bos>`, `<eos>` are found by their text wherever they are; a token the
/// vocabulary lacks maps to `<unk>`. Immutable and safe to share between threads.
public struct Vocabulary: Sendable {
    /// Every token, by id.
    public let tokens: [String]
    let table: TokenTable
    public let padID: Int32
    public let unkID: Int32
    public let bosID: Int32
    public let eosID: Int32

    /// A vocabulary of `tokens` (id = position). Throws `InputError` when a token is empty,
    /// contains a line break, appears twice, or when a special token is missing.
    public init(tokens: [String], source: String? = nil) throws {
        let table = TokenTable(capacity: tokens.count)
        for (index, token) in tokens.enumerated() {
            if token.isEmpty { throw InputError("empty token; a vocabulary has one token per line", file: source, line: index + 1) }
            if token.contains(where: \.isNewline) { throw InputError("token contains a line break", file: source, line: index + 1) }
            let at = table.insert(token)
            if at != index {
                throw InputError("token \"\(token)\" appears twice (first on line \(at + 1))", file: source, line: index + 1)
            }
        }
        func special(_ text: String) throws -> Int32 {
            let id = table.find(text)
            guard id >= 0 else {
                throw InputError("the vocabulary lacks the special token \(text); every Glossa vocabulary has <pad>, <unk>, <bos> and <eos>", file: source)
            }
            return Int32(id)
        }
        self.tokens = tokens
        self.table = table
        padID = try special("<pad>")
        unkID = try special("<unk>")
        bosID = try special("<bos>")
        eosID = try special("<eos>")
    }

    /// The number of tokens (V).
    public var count: Int { tokens.count }

    /// The id of `token`, or `unkID`.
    public func id(_ token: String) -> Int32 {
        let index = table.find(token)
        return index >= 0 ? Int32(index) : unkID
    }

    /// The id of the token with UTF-8 bytes `utf8`, or `unkID`; makes no `String`.
    @inline(__always)
    public func id(utf8: UnsafeRawBufferPointer) -> Int32 {
        let index = table.find(utf8)
        return index >= 0 ? Int32(truncatingIfNeeded: index) : unkID
    }

    /// Whether `token` has an id of its own.
    public func contains(_ token: String) -> Bool { table.find(token) >= 0 }

    /// The token with id `id`; `id` must be in 0..<count.
    public func token(_ id: Int32) -> String { tokens[Int(id)] }

    /// The ids of `tokens`.
    public func encode(_ tokens: [String]) -> [Int32] { tokens.map(id) }

    /// The tokens of `ids`; each must be in 0..<count.
    public func decode(_ ids: [Int32]) -> [String] { ids.map(token) }
}

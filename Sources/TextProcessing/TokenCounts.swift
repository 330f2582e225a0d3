/// How often each token occurs in a corpus. Tokens are kept as bytes in a `TokenTable`, so counting
/// makes no `String` per token. Not thread-safe: count with one per thread, then `merge`.
public final class TokenCounts {
    let table = TokenTable(capacity: 1 << 14)
    private(set) var counts: [Int] = []
    /// The number of tokens counted (with repetition).
    public private(set) var total = 0

    public init() {}

    /// The counts of every token of `sentences`.
    public convenience init(_ sentences: [[String]]) {
        self.init()
        for sentence in sentences { for token in sentence { add(token) } }
    }

    /// The number of distinct tokens (types).
    public var types: Int { counts.count }

    /// Counts one occurrence of the token with UTF-8 bytes `token`.
    @inline(__always)
    public func add(utf8 token: UnsafeRawBufferPointer, times: Int = 1) {
        let index = table.insert(token)
        if index == counts.count { counts.append(times) } else { counts[index] &+= times }
        total &+= times
    }

    /// Counts one occurrence of `token`.
    public func add(_ token: String, times: Int = 1) {
        var token = token
        token.withUTF8 { add(utf8: UnsafeRawBufferPointer($0), times: times) }
    }

    /// How often `token` occurred.
    public func count(of token: String) -> Int {
        let index = table.find(token)
        return index >= 0 ? counts[index] : 0
    }

    /// Adds every count of `other` to this one.
    public func merge(_ other: TokenCounts) {
        for index in 0..<other.types { add(utf8: other.table.key(index), times: other.counts[index]) }
    }

    /// Every (token, count), by count descending, ties broken by Unicode code point order (which is
    /// UTF-8 byte order).
    public func sorted() -> [(token: String, count: Int)] {
        sortedIndices().map { (table.string($0), counts[$0]) }
    }

    func sortedIndices() -> [Int] {
        let counts = self.counts
        let table = self.table
        return (0..<types).sorted { a, b in counts[a] != counts[b] ? counts[a] > counts[b] : table.compare(a, b) < 0 }
    }
}

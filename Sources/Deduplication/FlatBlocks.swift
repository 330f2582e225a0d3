/// Blocks of distinct rows stored end to end: block b is `rows[starts[b] ..< starts[b + 1]]`. Four
/// bytes a row and eight a block, against an array object per block (≈ 60 bytes and a heap
/// allocation each) for `[[Int]]`: the value blocks a rank holds through blocking (its 1/N of them)
/// are millions of blocks of 2–20 rows at 10M rows.
struct FlatBlocks {
    /// The blocks' rows, end to end.
    private(set) var rows: [Int32] = []
    /// Where each block starts in `rows`, (count + 1).
    private(set) var starts: [Int] = [0]

    /// The number of blocks.
    var count: Int { starts.count - 1 }

    /// Block `b`'s rows.
    subscript(_ b: Int) -> ArraySlice<Int32> { rows[starts[b]..<starts[b + 1]] }

    /// The number of rows in block `b`.
    func size(_ b: Int) -> Int { starts[b + 1] - starts[b] }

    /// Appends a block of `rows`.
    mutating func append<Rows: Collection>(_ block: Rows) where Rows.Element: BinaryInteger {
        rows.append(contentsOf: block.lazy.map { Int32($0) })
        starts.append(rows.count)
    }

    /// The blocks as arrays (one process's `[[Int]]`).
    var arrays: [[Int]] { (0..<count).map { self[$0].map(Int.init) } }
}

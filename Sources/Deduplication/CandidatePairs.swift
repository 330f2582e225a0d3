import Foundation

/// The pairs worth scoring: every pair of rows that shares a block (in any blocking pass) and whose
/// vectors have cosine similarity at least `minCosine` (a canopy-style filter that drops the many
/// pairs in a block that share almost no trigrams). Pairs are sorted and distinct; blocks are
/// processed on all cores.
public struct CandidatePairs: Sendable {
    public private(set) var pairs: [PairKey] = []
    /// The cosine of each pair's vectors, (pairs.count).
    public private(set) var cosines: [Float] = []
    /// Pairs looked at before the cosine filter (with repeats across passes).
    public private(set) var examined = 0

    /// Collects the pairs of `blocks` (row indices into `vectors`, whose rows are L2-normalized).
    public init(blocks: [[Int]], vectors: SparseRows, minCosine: Float) {
        let parts = Parallel.mapChunks(count: blocks.count, chunks: min(blocks.count, Parallel.cores * 8)) { range -> (found: [(key: PairKey, cosine: Float)], examined: Int) in
            var postings = BlockPostings(vectors)
            var found: [(key: PairKey, cosine: Float)] = []
            var examined = 0
            var block: [Int] = []  // the block's rows, ascending (kept from block to block)
            for blockIndex in range {
                // The rows' cache lines are asked for a block ahead (their starts two blocks ahead):
                // most blocks are a handful of rows, each read from anywhere in the table.
                if blockIndex + 2 < range.upperBound { postings.prefetchStarts(blocks[blockIndex + 2]) }
                if blockIndex + 1 < range.upperBound { postings.prefetchRows(blocks[blockIndex + 1]) }
                block.removeAll(keepingCapacity: true)
                block.append(contentsOf: blocks[blockIndex])
                block.sort()
                postings.index(block)
                for position in 0..<max(0, block.count - 1) {
                    let a = block[position]
                    examined += block.count - 1 - position
                    postings.dotsWithLater(position) { b, cosine in
                        if cosine >= minCosine { found.append((PairKey(a, block[b]), cosine)) }
                    }
                }
                postings.clear()
            }
            found.sort { $0.key < $1.key }  // each chunk sorts its own pairs, on its core
            return (found, examined)
        }
        examined = parts.reduce(0) { $0 + $1.examined }
        (pairs, cosines) = CandidatePairs.merge(parts.map(\.found))
    }

    /// The sorted `parts` merged into one ascending list, each pair once (a pair found by several
    /// blocks has the same cosine in each: the same two vectors, summed in the same order).
    static func merge(_ parts: [[(key: PairKey, cosine: Float)]]) -> (pairs: [PairKey], cosines: [Float]) {
        var pairs: [PairKey] = [], cosines: [Float] = []
        let total = parts.reduce(0) { $0 + $1.count }
        pairs.reserveCapacity(total)
        cosines.reserveCapacity(total)
        var heads = [Int](repeating: 0, count: parts.count)
        while true {
            var best = -1
            for part in parts.indices where heads[part] < parts[part].count {
                if best < 0 || parts[part][heads[part]].key < parts[best][heads[best]].key { best = part }
            }
            guard best >= 0 else { break }
            let (key, cosine) = parts[best][heads[best]]
            heads[best] += 1
            if let last = pairs.last, last == key { continue }
            pairs.append(key)
            cosines.append(cosine)
        }
        return (pairs, cosines)
    }

    /// Pairs collected elsewhere (`DistributedBlocking`): sorted and distinct, with their cosines.
    init(pairs: [PairKey], cosines: [Float], examined: Int) {
        self.pairs = pairs
        self.cosines = cosines
        self.examined = examined
    }
}

/// An inverted index of one block's rows: for each dimension that two or more of them use, the
/// block positions of the rows that use it (ascending) and their values. The dot products of a row
/// with every later row then cost one multiply-add per dimension the two share, not one per nonzero
/// of the later row; each dot is summed over the shared dimensions in ascending order, as a merge of
/// the two rows would sum it (the same float). Rows are visited in block order (`dotsWithLater`
/// once per position, the last one left out).
///
/// Most of a block's dimensions belong to one row alone and add to no dot: each row keeps only its
/// entries in the lists ("shared entries"), and lists are numbered 0, 1, … within the block, so the
/// per-entry work touches a few small arrays and one table as long as the dimension.
struct BlockPostings {
    let vectors: SparseRows
    /// Per dimension, (D): 0 when the block does not use it; while indexing, the number of rows that
    /// use it; once counted, ~(its list number) (< 0) when two or more rows use it, else 1 (only the
    /// block's dimensions are read).
    var slot: [Int32]
    /// The dimensions the block uses: the first `touchedCount` of (D + 1; one past them is written).
    var touched: [Int32]
    var touchedCount = 0
    /// Per list, then one more for the entries of dimensions of one row (written to one spare entry
    /// and dropped, so that the filling loop has no branch): where its next entry goes, and its end
    /// (the block's lists are the first of (D + 1)).
    var fill: [Int32]
    var end: [Int32]
    /// The entries, list after list, then the spare one: block position and value.
    var entryPositions: [Int32] = []
    var entryValues: [Float] = []
    /// The shared entries of the rows, row after row (dimensions ascending): the entry and the end of
    /// its list; row r's are `sharedStarts[r] ..< sharedStarts[r + 1]`.
    var sharedEntries: [Int32] = []
    var sharedEnds: [Int32] = []
    var sharedStarts: [Int] = []
    /// The number of rows of the block.
    var rows = 0
    /// Dot products of the current row with the later rows, (block count).
    var dots: [Float] = []

    init(_ vectors: SparseRows) {
        self.vectors = vectors
        slot = [Int32](repeating: 0, count: vectors.dimension)
        touched = [Int32](repeating: 0, count: vectors.dimension + 1)
        fill = [Int32](repeating: 0, count: vectors.dimension + 1)
        end = [Int32](repeating: 0, count: vectors.dimension + 1)
    }

    /// Asks for the cache lines holding where each of the rows `block` starts and ends.
    func prefetchStarts(_ block: [Int]) {
        vectors.starts.withUnsafeBufferPointer { starts in
            for row in block { prefetch(starts.baseAddress! + row) }
        }
    }

    /// Asks for the cache lines of the rows `block` (their starts read: `prefetchStarts` a block before).
    func prefetchRows(_ block: [Int]) {
        vectors.starts.withUnsafeBufferPointer { starts in
        vectors.indices.withUnsafeBufferPointer { indices in
        vectors.values.withUnsafeBufferPointer { values in
            for row in block { prefetchRow(row, starts, indices, values) }
        }}}
    }

    /// Indexes the rows `block` of the vectors.
    mutating func index(_ block: [Int]) {
        rows = block.count
        // Kept from block to block, grown when short: every element used is written first.
        var nonzeros = 0
        for row in block { nonzeros += vectors.starts[row + 1] - vectors.starts[row] }
        if sharedEntries.count < nonzeros { sharedEntries = [Int32](repeating: 0, count: nonzeros); sharedEnds = sharedEntries }
        if entryPositions.count <= nonzeros { entryPositions = [Int32](repeating: 0, count: nonzeros + 1); entryValues = [Float](repeating: 0, count: nonzeros + 1) }
        if sharedStarts.count <= block.count { sharedStarts = [Int](repeating: 0, count: block.count + 1) }
        if dots.count < block.count { dots = [Float](repeating: 0, count: block.count) }
        vectors.starts.withUnsafeBufferPointer { starts in
        vectors.indices.withUnsafeBufferPointer { indices in
        vectors.values.withUnsafeBufferPointer { values in
        slot.withUnsafeMutableBufferPointer { slot in
        touched.withUnsafeMutableBufferPointer { touched in
        fill.withUnsafeMutableBufferPointer { fill in
        end.withUnsafeMutableBufferPointer { end in
        entryPositions.withUnsafeMutableBufferPointer { entryPositions in
        entryValues.withUnsafeMutableBufferPointer { entryValues in
        sharedEntries.withUnsafeMutableBufferPointer { sharedEntries in
        sharedEnds.withUnsafeMutableBufferPointer { sharedEnds in
        sharedStarts.withUnsafeMutableBufferPointer { sharedStarts in
            // Rows per dimension, each dimension listed once (written always, kept when new).
            var touchedCount = 0
            for row in block {
                for p in starts[row]..<starts[row + 1] {
                    let d = Int(indices[p]), rows = slot[d]
                    touched[touchedCount] = Int32(d)
                    touchedCount += rows == 0 ? 1 : 0
                    slot[d] = rows + 1
                }
            }
            self.touchedCount = touchedCount
            // A list, and where it starts and ends, per dimension of two or more rows.
            var lists = 0, total: Int32 = 0
            for d in touched[0..<touchedCount] {
                let d = Int(d), rows = slot[d]
                guard rows >= 2 else { continue }
                slot[d] = ~Int32(lists)
                fill[lists] = total
                total += rows
                end[lists] = total
                lists += 1
            }
            fill[lists] = total  // the spare entry, for dimensions of one row
            // The entries, list by list, and each row's shared ones (the rows are in cache now).
            var shared = 0
            for (position, row) in block.enumerated() {
                sharedStarts[position] = shared
                for p in starts[row]..<starts[row + 1] {
                    let s = slot[Int(indices[p])]
                    let isShared = Int32(bitPattern: UInt32(bitPattern: s) >> 31)
                    let l = Int(s < 0 ? ~s : Int32(lists)), e = fill[l]
                    entryPositions[Int(e)] = Int32(position)
                    entryValues[Int(e)] = values[p]
                    fill[l] = e + isShared
                    sharedEntries[shared] = e
                    sharedEnds[shared] = end[l]
                    shared += Int(isShared)
                }
            }
            sharedStarts[block.count] = shared
        }}}}}}}}}}}}
    }

    /// `body(later, dot)` for every later position of the block, in order, with the dot product of
    /// the rows at `position` and `later`.
    mutating func dotsWithLater(_ position: Int, _ body: (Int, Float) -> Void) {
        let count = rows
        sharedEntries.withUnsafeBufferPointer { sharedEntries in
        sharedEnds.withUnsafeBufferPointer { sharedEnds in
        entryPositions.withUnsafeBufferPointer { entryPositions in
        entryValues.withUnsafeBufferPointer { entryValues in
        dots.withUnsafeMutableBufferPointer { dots in
            for later in (position + 1)..<count { dots[later] = 0 }
            for p in sharedStarts[position]..<sharedStarts[position + 1] {
                let own = Int(sharedEntries[p]), v = entryValues[own]
                for e in (own + 1)..<Int(sharedEnds[p]) { dots[Int(entryPositions[e])] += v * entryValues[e] }
            }
        }}}}}
        for later in (position + 1)..<count { body(later, dots[later]) }
    }

    /// Forgets the block (only the dimensions it used are reset).
    mutating func clear() {
        for d in touched[0..<touchedCount] { slot[Int(d)] = 0 }
        touchedCount = 0
    }
}

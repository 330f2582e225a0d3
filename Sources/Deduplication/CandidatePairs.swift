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
            for blockIndex in range {
                let block = blocks[blockIndex].sorted()
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
/// per-entry work touches a few small arrays, not tables as long as the dimension.
struct BlockPostings {
    let vectors: SparseRows
    /// Per dimension: how many of the block's rows use it (0 when unused), then its list number, or
    /// −1 when one row alone uses it (only the block's dimensions are read).
    var count: [Int32]
    var list: [Int32]
    /// The dimensions the block uses: the first `touchedCount` of (dimension + 1; one past them is written).
    var touched: [Int32]
    var touchedCount = 0
    /// Per list: its next unvisited entry and its end (the block's lists are the first of (dimension)).
    var cursor: [Int32]
    var end: [Int32]
    /// The entries, list after list: block position and value.
    var entryPositions: [Int32] = []
    var entryValues: [Float] = []
    /// The shared entries of the rows, row after row (dimensions ascending): list number and value;
    /// row r's are `sharedStarts[r] ..< sharedStarts[r + 1]`.
    var sharedLists: [Int32] = []
    var sharedValues: [Float] = []
    var sharedStarts: [Int] = []
    /// The number of rows of the block.
    var rows = 0
    /// Dot products of the current row with the later rows, (block count).
    var dots: [Float] = []

    init(_ vectors: SparseRows) {
        self.vectors = vectors
        count = [Int32](repeating: 0, count: vectors.dimension)
        list = [Int32](repeating: 0, count: vectors.dimension)
        touched = [Int32](repeating: 0, count: vectors.dimension + 1)
        cursor = [Int32](repeating: 0, count: vectors.dimension)
        end = [Int32](repeating: 0, count: vectors.dimension)
    }

    /// Indexes the rows `block` of the vectors.
    mutating func index(_ block: [Int]) {
        rows = block.count
        // Kept from block to block, grown when short: every element used is written first.
        var nonzeros = 0
        for row in block { nonzeros += vectors.starts[row + 1] - vectors.starts[row] }
        if sharedLists.count < nonzeros { sharedLists = [Int32](repeating: 0, count: nonzeros); sharedValues = [Float](repeating: 0, count: nonzeros) }
        if sharedStarts.count <= block.count { sharedStarts = [Int](repeating: 0, count: block.count + 1) }
        if dots.count < block.count { dots = [Float](repeating: 0, count: block.count) }
        var total = 0, lists = 0
        vectors.starts.withUnsafeBufferPointer { starts in
        vectors.indices.withUnsafeBufferPointer { indices in
        vectors.values.withUnsafeBufferPointer { values in
        count.withUnsafeMutableBufferPointer { count in
        list.withUnsafeMutableBufferPointer { list in
        touched.withUnsafeMutableBufferPointer { touched in
        cursor.withUnsafeMutableBufferPointer { cursor in
        sharedLists.withUnsafeMutableBufferPointer { sharedLists in
        sharedValues.withUnsafeMutableBufferPointer { sharedValues in
        sharedStarts.withUnsafeMutableBufferPointer { sharedStarts in
            // Rows per dimension, each dimension listed once (written always, kept when new).
            var touchedCount = 0
            for (position, row) in block.enumerated() {
                if position + 8 < block.count { prefetch(starts.baseAddress! + block[position + 8]) }
                if position + 4 < block.count { prefetchRow(block[position + 4], starts, indices, values) }
                for p in starts[row]..<starts[row + 1] {
                    let d = Int(indices[p]), rows = count[d]
                    touched[touchedCount] = Int32(d)
                    touchedCount += rows == 0 ? 1 : 0
                    count[d] = rows + 1
                }
            }
            self.touchedCount = touchedCount
            // A list, and its start, per dimension of two or more rows.
            for d in touched[0..<touchedCount] {
                let d = Int(d)
                guard count[d] >= 2 else { list[d] = -1; continue }
                list[d] = Int32(lists)
                cursor[lists] = Int32(total)
                lists += 1
                total += Int(count[d])
            }
            // The shared entries (the rows are in cache now).
            var shared = 0
            for (position, row) in block.enumerated() {
                sharedStarts[position] = shared
                for p in starts[row]..<starts[row + 1] {
                    let l = list[Int(indices[p])]
                    sharedLists[shared] = l
                    sharedValues[shared] = values[p]
                    shared += l >= 0 ? 1 : 0
                }
            }
            sharedStarts[block.count] = shared
        }}}}}}}}}}
        if entryPositions.count < total {
            entryPositions = [Int32](repeating: 0, count: total)
            entryValues = [Float](repeating: 0, count: total)
        }
        sharedLists.withUnsafeBufferPointer { sharedLists in
        sharedValues.withUnsafeBufferPointer { sharedValues in
        cursor.withUnsafeBufferPointer { cursor in
        end.withUnsafeMutableBufferPointer { end in
        entryPositions.withUnsafeMutableBufferPointer { entryPositions in
        entryValues.withUnsafeMutableBufferPointer { entryValues in
            for l in 0..<lists { end[l] = cursor[l] }
            for position in 0..<block.count {
                for p in sharedStarts[position]..<sharedStarts[position + 1] {
                    let l = Int(sharedLists[p]), e = Int(end[l])
                    entryPositions[e] = Int32(position)
                    entryValues[e] = sharedValues[p]
                    end[l] = Int32(e + 1)
                }
            }
        }}}}}}
    }

    /// `body(later, dot)` for every later position of the block, in order, with the dot product of
    /// the rows at `position` and `later`.
    mutating func dotsWithLater(_ position: Int, _ body: (Int, Float) -> Void) {
        let count = rows
        sharedLists.withUnsafeBufferPointer { sharedLists in
        sharedValues.withUnsafeBufferPointer { sharedValues in
        entryPositions.withUnsafeBufferPointer { entryPositions in
        entryValues.withUnsafeBufferPointer { entryValues in
        cursor.withUnsafeMutableBufferPointer { cursor in
        end.withUnsafeBufferPointer { end in
        dots.withUnsafeMutableBufferPointer { dots in
            for later in (position + 1)..<count { dots[later] = 0 }
            for p in sharedStarts[position]..<sharedStarts[position + 1] {
                let l = Int(sharedLists[p]), v = sharedValues[p]
                let own = Int(cursor[l])
                cursor[l] = Int32(own + 1)
                for e in (own + 1)..<Int(end[l]) { dots[Int(entryPositions[e])] += v * entryValues[e] }
            }
        }}}}}}}
        for later in (position + 1)..<count { body(later, dots[later]) }
    }

    /// Forgets the block (only the dimensions it used are reset).
    mutating func clear() {
        for d in touched[0..<touchedCount] { count[Int(d)] = 0 }
        touchedCount = 0
    }
}

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
            var postings = BlockPostings(dimension: vectors.dimension)
            var found: [(key: PairKey, cosine: Float)] = []
            var examined = 0
            for blockIndex in range {
                let block = blocks[blockIndex].sorted()
                postings.index(block, vectors)
                for (position, a) in block.enumerated() {
                    guard position + 1 < block.count else { postings.skip(position); continue }
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

/// An inverted index of one block's rows: for each dimension, the block positions of the rows that
/// use it (ascending) and their values. The dot products of a row with every later row then cost
/// one multiply-add per dimension the two share, not one per nonzero of the later row; each dot is
/// summed over the shared dimensions in ascending order, as a merge of the two rows would sum it
/// (the same float). Rows are visited in block order (`dotsWithLater` or `skip` once per position).
struct BlockPostings {
    /// Per dimension: the next unvisited entry of its list, and the end of the list (0 when unused).
    var cursor: [Int32]
    var end: [Int32]
    /// The dimensions the block uses.
    var touched: [Int] = []
    /// The entries, list after list: block position and value.
    var positions: [Int32] = []
    var values: [Float] = []
    /// The block's rows: their nonzeros' dimensions and values, one row after another, and each row's start.
    var rowIndices: [UInt16] = []
    var rowValues: [Float] = []
    var rowStarts: [Int] = []
    /// Dot products of the current row with the later rows, (block count).
    var dots: [Float] = []

    init(dimension: Int) {
        cursor = [Int32](repeating: 0, count: dimension)
        end = [Int32](repeating: 0, count: dimension)
    }

    /// Indexes the rows `block` of `vectors`.
    mutating func index(_ block: [Int], _ vectors: SparseRows) {
        rowIndices.removeAll(keepingCapacity: true)
        rowValues.removeAll(keepingCapacity: true)
        rowStarts.removeAll(keepingCapacity: true)
        rowStarts.append(0)
        vectors.starts.withUnsafeBufferPointer { starts in
        vectors.indices.withUnsafeBufferPointer { indices in
        vectors.values.withUnsafeBufferPointer { values in
            for (position, row) in block.enumerated() {
                if position + 8 < block.count { prefetch(starts.baseAddress! + block[position + 8]) }
                if position + 4 < block.count { prefetchRow(block[position + 4], starts, indices, values) }
                let range = starts[row]..<starts[row + 1]
                rowIndices.append(contentsOf: indices[range])
                rowValues.append(contentsOf: values[range])
                rowStarts.append(rowIndices.count)
            }
        }}}
        // Counts per dimension (in `end`), then list starts (in `cursor`), then the entries.
        for d in rowIndices {
            if end[Int(d)] == 0 { touched.append(Int(d)) }
            end[Int(d)] += 1
        }
        var total: Int32 = 0
        for d in touched {
            cursor[d] = total
            total += end[d]
            end[d] = cursor[d]
        }
        if positions.count < Int(total) {  // kept from block to block; every entry below `total` is written next
            positions = [Int32](repeating: 0, count: Int(total))
            values = [Float](repeating: 0, count: Int(total))
        }
        for position in 0..<block.count {
            for p in rowStarts[position]..<rowStarts[position + 1] {
                let d = Int(rowIndices[p])
                positions[Int(end[d])] = Int32(position)
                values[Int(end[d])] = rowValues[p]
                end[d] += 1
            }
        }
        if dots.count < block.count { dots = [Float](repeating: 0, count: block.count) }
    }

    /// Passes over the row at `position` without computing its dots.
    mutating func skip(_ position: Int) {
        for p in rowStarts[position]..<rowStarts[position + 1] { cursor[Int(rowIndices[p])] += 1 }
    }

    /// `body(later, dot)` for every later position of the block, in order, with the dot product of
    /// the rows at `position` and `later`.
    mutating func dotsWithLater(_ position: Int, _ body: (Int, Float) -> Void) {
        let count = rowStarts.count - 1
        rowIndices.withUnsafeBufferPointer { rowIndices in
        rowValues.withUnsafeBufferPointer { rowValues in
        positions.withUnsafeBufferPointer { positions in
        values.withUnsafeBufferPointer { values in
        cursor.withUnsafeMutableBufferPointer { cursor in
        end.withUnsafeBufferPointer { end in
        dots.withUnsafeMutableBufferPointer { dots in
            for later in (position + 1)..<count { dots[later] = 0 }
            for p in rowStarts[position]..<rowStarts[position + 1] {
                let d = Int(rowIndices[p]), v = rowValues[p]
                let own = Int(cursor[d])
                cursor[d] = Int32(own + 1)
                for e in (own + 1)..<Int(end[d]) { dots[Int(positions[e])] += v * values[e] }
            }
        }}}}}}}
        for later in (position + 1)..<count { body(later, dots[later]) }
    }

    /// Forgets the block (only the dimensions it used are reset).
    mutating func clear() {
        for d in touched { end[d] = 0 }
        touched.removeAll(keepingCapacity: true)
    }
}

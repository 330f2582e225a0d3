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
        let parts = vectors.starts.withUnsafeBufferPointer { starts in
        vectors.indices.withUnsafeBufferPointer { indices in
        vectors.values.withUnsafeBufferPointer { values in
            Parallel.mapChunks(count: blocks.count, chunks: min(blocks.count, Parallel.cores * 8)) { range -> ([PairKey], [Float], Int) in
                var dense = [Float](repeating: 0, count: vectors.dimension)
                var pairs: [PairKey] = [], cosines: [Float] = []
                var examined = 0
                for blockIndex in range {
                    let block = blocks[blockIndex].sorted()
                    for (position, a) in block.enumerated() where position + 1 < block.count {
                        examined += block.count - 1 - position
                        for p in starts[a]..<starts[a + 1] { dense[Int(indices[p])] = values[p] }
                        for b in block[(position + 1)...] {
                            var cosine: Float = 0
                            for q in starts[b]..<starts[b + 1] { cosine += values[q] * dense[Int(indices[q])] }
                            if cosine >= minCosine {
                                pairs.append(PairKey(a, b))
                                cosines.append(cosine)
                            }
                        }
                        for p in starts[a]..<starts[a + 1] { dense[Int(indices[p])] = 0 }
                    }
                }
                return (pairs, cosines, examined)
            }
        }}}
        var all: [(PairKey, Float)] = []
        all.reserveCapacity(parts.reduce(0) { $0 + $1.0.count })
        for part in parts {
            examined += part.2
            for index in part.0.indices { all.append((part.0[index], part.1[index])) }
        }
        all.sort { $0.0 < $1.0 }
        pairs.reserveCapacity(all.count)
        cosines.reserveCapacity(all.count)
        for (index, element) in all.enumerated() where index == 0 || element.0 != all[index - 1].0 {
            pairs.append(element.0)
            cosines.append(element.1)
        }
    }

    /// Pairs collected elsewhere (`DistributedBlocking`): sorted and distinct, with their cosines.
    init(pairs: [PairKey], cosines: [Float], examined: Int) {
        self.pairs = pairs
        self.cosines = cosines
        self.examined = examined
    }
}

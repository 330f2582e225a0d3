/// The candidate pairs a rank keeps (`DistributedBlocking`: those every rank found for it, merged
/// in once for all passes): sorted, each pair once, 12 bytes a pair, in chunks of `chunkSize` pairs.
/// Pairs merged in are sorted on their own and merged with those kept chunk by chunk, every chunk
/// of the old pairs let go once passed, so a merge holds the old and the merged pairs at once only
/// for a chunk, not in full.
struct KeptPairs {
    /// Pairs per chunk (every chunk but the last is full).
    let chunkSize: Int
    /// The pairs, ascending and distinct, chunk after chunk (P in all).
    private var pairs: [[PairKey]] = []
    /// Each pair's cosine, in the same chunks.
    private var cosines: [[Float]] = []

    init(chunkSize: Int = 1 << 20) {
        precondition(chunkSize > 0)
        self.chunkSize = chunkSize
    }

    /// P, the pairs kept.
    var count: Int { pairs.reduce(0) { $0 + $1.count } }

    /// Adds the pairs `keys` (`PairKey.wire`) with their `cosines` (any order, repeats allowed: a
    /// pair's cosine is the same float whichever block found it), taking over the arrays.
    mutating func merge(keys newKeys: consuming [Int64], cosines newCosines: consuming [Float]) {
        var incoming: [(key: PairKey, cosine: Float)] = []
        incoming.reserveCapacity(newKeys.count)
        for index in newKeys.indices { incoming.append((PairKey(wire: newKeys[index]), newCosines[index])) }
        newKeys = []
        newCosines = []
        incoming.sort { $0.key < $1.key }
        var mergedPairs: [[PairKey]] = [], mergedCosines: [[Float]] = []
        var outPairs: [PairKey] = [], outCosines: [Float] = []  // the chunk being written
        outPairs.reserveCapacity(chunkSize)
        outCosines.reserveCapacity(chunkSize)
        var chunk = 0, i = 0, j = 0
        while chunk < pairs.count || j < incoming.count {
            if chunk < pairs.count && i == pairs[chunk].count {  // this old chunk is passed: let it go
                pairs[chunk] = []
                cosines[chunk] = []
                chunk += 1
                i = 0
                continue
            }
            if j == incoming.count || (chunk < pairs.count && !(incoming[j].key < pairs[chunk][i])) {
                let pair = pairs[chunk][i]
                while j < incoming.count && incoming[j].key == pair { j += 1 }
                outPairs.append(pair)
                outCosines.append(cosines[chunk][i])
                i += 1
            } else {
                let pair = incoming[j].key
                outPairs.append(pair)
                outCosines.append(incoming[j].cosine)
                while j < incoming.count && incoming[j].key == pair { j += 1 }
            }
            if outPairs.count == chunkSize {
                mergedPairs.append(outPairs)
                mergedCosines.append(outCosines)
                outPairs = []
                outCosines = []
                outPairs.reserveCapacity(chunkSize)
                outCosines.reserveCapacity(chunkSize)
            }
        }
        if !outPairs.isEmpty {
            mergedPairs.append(outPairs)
            mergedCosines.append(outCosines)
        }
        pairs = mergedPairs
        cosines = mergedCosines
    }

    /// The pairs as `CandidatePairs` (each chunk let go once copied), with `examined` pairs looked at.
    consuming func candidates(examined: Int) -> CandidatePairs {
        var allPairs: [PairKey] = [], allCosines: [Float] = []
        allPairs.reserveCapacity(count)
        allCosines.reserveCapacity(count)
        for chunk in pairs.indices {
            allPairs.append(contentsOf: pairs[chunk])
            allCosines.append(contentsOf: cosines[chunk])
            pairs[chunk] = []
            cosines[chunk] = []
        }
        return CandidatePairs(pairs: allPairs, cosines: allCosines, examined: examined)
    }
}

extension CandidatePairs {
    /// The candidate pairs a rank keeps (`DistributedBlocking`: those every rank found for it,
    /// received in one exchange for all blocks): `keys` (`PairKey.wire`) with their `cosines`, in
    /// any order with repeats (a pair's cosine is the same float whichever block found it), sorted
    /// and each once (12 bytes a pair), with `examined` pairs looked at; takes over the arrays.
    init(kept keys: consuming [Int64], cosines: consuming [Float], examined: Int) {
        var found: [(key: PairKey, cosine: Float)] = []
        found.reserveCapacity(keys.count)
        for index in keys.indices { found.append((PairKey(wire: keys[index]), cosines[index])) }
        keys = []
        cosines = []
        found.sort { $0.key < $1.key }
        let kept = CandidatePairs.merge([found])
        self.init(pairs: kept.pairs, cosines: kept.cosines, examined: examined)
    }
}

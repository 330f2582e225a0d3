import MessagePassing

extension DistributedBlocking {
    /// The pairs of `valueBlocks` (replicated on every rank: distinct rows, ascending; they overlap)
    /// found on this rank, bucketed by the rank that keeps them: the blocks are shared out and
    /// finished like subtrees (a collective call).
    func valuePairs(_ valueBlocks: FlatBlocks, minCosine: Float) -> Found {
        var found = Found(ranks: communicator.size)
        let held = shares[communicator.rank]
        let counts = (0..<valueBlocks.count).map { valueBlocks.size($0) }
        // Each distinct row's position among the rows received in the current round (rows not
        // received in it keep a stale position, never read), (distinct rows).
        var received = [Int32](repeating: -1, count: shares.last!.upperBound)
        _ = finish(counts: counts, costs: counts, local: { b in
            valueBlocks[b].compactMap { held.contains(Int($0)) ? Int($0) - held.lowerBound : nil }
        }, byRanks: { vectors, ids, _, mine in
            // Value blocks overlap (a row may share its phone with some rows and its street with
            // others): each block's rows found among the received ids (a table lookup: a binary
            // search of the ids took 0.17–0.28 s of CPU a rank at 1M rows on 2 ranks, the lookup 0.03 s;
            // load 3.5–6.6).
            for (position, id) in ids.enumerated() { received[id] = Int32(position) }
            let lists = mine.map { valueBlocks[$0].map { Int(received[Int($0)]) } }
            found.add(CandidatePairs(blocks: lists, vectors: vectors, minCosine: minCosine), ids: ids)
            return lists.count
        })
        return found
    }
}

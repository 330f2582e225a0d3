import MessagePassing

extension DistributedBlocking {
    /// The pairs of `valueBlocks` — this rank's value blocks (`ValueBlocking.blocks(_:representatives:share:communicator:)`:
    /// distinct rows, each block ascending; they overlap) — bucketed by the rank that keeps them (a
    /// collective call). The blocks are taken in consecutive rounds of about equal memberships, as
    /// many on every rank as the rank whose blocks hold the most distinct rows needs to hold at most
    /// `maxRoundRows` rows' vectors at a time (≈ 0.5 KB a row, sent and received: one round below
    /// 2¹⁸ rows a rank). Each round's rows (each once) are asked of the ranks that hold them, all
    /// rounds in one exchange; in each round the holders send them (`send`) and the round's blocks'
    /// pairs are found on the received vectors.
    func valuePairs(_ valueBlocks: FlatBlocks, minCosine: Float, maxRoundRows: Int = 1 << 18) -> Found {
        let ranks = communicator.size, first = shares[communicator.rank].lowerBound
        // Per distinct row: the last round that listed it plus one (0: listed by no round yet, −1:
        // in no block), then its position among that round's received rows, (distinct rows).
        var listedIn = [Int32](repeating: -1, count: shares.last!.upperBound)
        var position = [Int32](repeating: -1, count: shares.last!.upperBound)
        var distinct = 0
        for row in valueBlocks.rows where listedIn[Int(row)] < 0 { listedIn[Int(row)] = 0; distinct += 1 }
        let most = communicator.allgather([Int64(distinct)]).map { Int($0[0]) }.max()!
        let rounds = balancedShares(costs: (0..<valueBlocks.count).map { valueBlocks.size($0) },
                                    parts: max(1, (most + maxRoundRows - 1) / maxRoundRows))
        // To each rank, the rows it holds of each round (round << 32 | row, round after round,
        // ascending within a round).
        var asks = [[Int64]](repeating: [], count: ranks)
        for (round, blocks) in rounds.enumerated() {
            var rows: [Int] = []
            for b in blocks {
                for row in valueBlocks[b] where listedIn[Int(row)] != Int32(round) + 1 {
                    listedIn[Int(row)] = Int32(round) + 1
                    rows.append(Int(row))
                }
            }
            rows.sort()
            for (rank, share) in shares.enumerated() {
                asks[rank] += rows[rows.lowerBound(share.lowerBound)..<rows.lowerBound(share.upperBound)].lazy.map { Int64(round) << 32 | Int64($0) }
            }
        }
        // What each round sends each rank: local rows, ascending.
        var outgoing = [[[Int]]](repeating: [[Int]](repeating: [], count: ranks), count: rounds.count)
        let asked = communicator.allToAll(asks)
        asks = []
        var start = 0
        for (rank, count) in asked.counts.enumerated() {
            for ask in asked.values[start..<(start + count)] { outgoing[Int(ask >> 32)][rank].append(Int(ask & 0xFFFF_FFFF) - first) }
            start += count
        }
        var found = Found(ranks: ranks)
        for (round, blocks) in rounds.enumerated() {
            let (vectors, ids, _) = send(outgoing[round], tags: outgoing[round].map { [Int64](repeating: 0, count: $0.count) })
            outgoing[round] = []
            for (index, id) in ids.enumerated() { position[id] = Int32(index) }
            let lists = blocks.map { valueBlocks[$0].map { Int(position[Int($0)]) } }
            found.add(CandidatePairs(blocks: lists, vectors: vectors, minCosine: minCosine), ids: ids)
        }
        return found
    }
}

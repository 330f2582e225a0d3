import MessagePassing

extension ParameterStore {
    /// Makes every rank's weights rank 0's (a broadcast), after checking that every rank has a
    /// store of the same layout. Every rank must call it. Throws the same one-line error on every
    /// rank when the layouts differ (ranks that read different files build different vocabularies).
    /// Returns how many ranks held other weights than rank 0's before (0 when every rank
    /// initialized from the same seed, as the trainers do).
    @discardableResult
    public func synchronize(across communicator: any Communicator) throws -> Int {
        guard communicator.size > 1 else { return 0 }
        let layout = communicator.allgather([Int64(count), Int64(bitPattern: layoutFingerprint)])
        if let r = layout.firstIndex(where: { $0 != layout[0] }) {
            throw InputError("rank \(r)'s model has \(layout[r][0]) parameters where rank 0's has \(layout[0][0]) (or other shapes): every rank must read the same files (a folder all machines share) with the same options")
        }
        let before = snapshot()
        communicator.broadcast(allValues, root: 0)
        let same = before.indices.allSatisfy { before[$0].bitPattern == values[$0].bitPattern }
        return Int(communicator.allreduceSum(Int64(same ? 0 : 1)))
    }

    /// FNV-1a over every parameter's name and shape.
    var layoutFingerprint: UInt64 {
        var hash = FNV1a()
        for p in parameters {
            hash.add(bytes: p.name.utf8)
            for d in p.shape { withUnsafeBytes(of: Int64(d).littleEndian) { hash.add(bytes: $0) } }
        }
        return hash.value
    }
}

/// Array and single-value forms of the collectives.
extension Communicator {
    /// Whether this is rank 0, the one that writes files.
    public var isRoot: Bool { rank == 0 }

    /// array := the element-wise sum over ranks.
    public func allreduceSum<T: CollectiveElement>(_ array: inout [T]) {
        array.withUnsafeMutableBufferPointer { allreduceSum($0) }
    }

    /// The sum of `value` over ranks.
    public func allreduceSum<T: CollectiveElement>(_ value: T) -> T {
        var array = [value]
        allreduceSum(&array)
        return array[0]
    }

    /// array := root's array (the same count on every rank).
    public func broadcast<T: CollectiveElement>(_ array: inout [T], root: Int = 0) {
        array.withUnsafeMutableBufferPointer { broadcast($0, root: root) }
    }

    /// root's `value`.
    public func broadcast<T: CollectiveElement>(_ value: T, root: Int = 0) -> T {
        var array = [value]
        broadcast(&array, root: root)
        return array[0]
    }

    /// root's `text` (its UTF-8 bytes broadcast, their count first).
    public func broadcast(_ text: String, root: Int) -> String {
        var bytes = Array(text.utf8)
        let count = broadcast(Int64(bytes.count), root: root)
        if rank != root { bytes = [UInt8](repeating: 0, count: Int(count)) }
        broadcast(&bytes, root: root)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Sends `parts[r]` to rank r (one part per rank, any lengths) and returns what every rank sent
    /// this one, end to end in rank order, and each rank's count: `allToAll(_:counts:)` on the
    /// parts joined (one copy; a caller with large parts lays them out joined itself).
    public func allToAll<T: CollectiveElement>(_ parts: [[T]]) -> (values: [T], counts: [Int]) {
        precondition(parts.count == size, "\(parts.count) parts for \(size) ranks")
        return allToAll(Array(joining: parts), counts: parts.map(\.count))
    }

    /// `gatherConcatenated(_:root:)` on this rank's `parts` joined (one copy): on `root`, every
    /// rank's parts end to end in rank order; on the other ranks, empty.
    public func gatherConcatenated<T: CollectiveElement>(parts: some Collection<[T]>, root: Int) -> [T] {
        gatherConcatenated(Array(joining: parts), root: root)
    }

    /// The sum of `value` over the ranks below this one (0 on rank 0): a rank's offset when each
    /// contributes `value` items.
    public func exclusiveScanSum<T: CollectiveElement>(_ value: T) -> T {
        let send = [value]
        var result = [value]
        send.withUnsafeBufferPointer { send in
            result.withUnsafeMutableBufferPointer { exclusiveScanSum(send, into: $0) }
        }
        return result[0]
    }
}

extension Array {
    /// `parts` end to end, copied part by part (a `joined()` sequence is read element by element,
    /// unspecialized across modules).
    init(joining parts: some Collection<[Element]>) {
        self.init()
        reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { append(contentsOf: part) }
    }
}

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

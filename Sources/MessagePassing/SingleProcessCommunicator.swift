import Foundation

/// A job of one process: every collective is the identity (the sum over one rank). The oracle an
/// N-process run is tested against, and what a plain `glossa` run uses.
public final class SingleProcessCommunicator: Communicator {
    public init() {}

    public var rank: Int { 0 }
    public var size: Int { 1 }
    public var secondsInCollectives: Double { 0 }
    public func allreduceSum<T: CollectiveElement>(_ buffer: UnsafeMutableBufferPointer<T>) {}
    public func broadcast<T: CollectiveElement>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) {
        precondition(root == 0, "broadcast from rank \(root) of 1")
    }
    public func barrier() {}

    public func exclusiveScanSum<T: CollectiveElement>(_ values: UnsafeBufferPointer<T>, into result: UnsafeMutableBufferPointer<T>) {
        precondition(values.count == result.count)
        if let base = result.baseAddress { memset(base, 0, result.count * MemoryLayout<T>.stride) }
    }

    public func allgather<T: CollectiveElement>(_ values: [T]) -> [[T]] { [values] }

    public func allgatherConcatenated<T: CollectiveElement>(_ values: [T]) -> (values: [T], counts: [Int]) { (values, [values.count]) }

    public func gatherConcatenated<T: CollectiveElement>(_ values: [T], root: Int) -> [T] { values }

    public func allToAll<T: CollectiveElement>(_ values: [T], counts: [Int]) -> (values: [T], counts: [Int]) {
        precondition(counts == [values.count], "counts \(counts) for 1 rank and \(values.count) values")
        return (values, counts)
    }

    public func abort(status: Int32) -> Never { exit(status) }
}

/// The processes of one job and the collective operations among them (Horovod's and PyTorch DDP's
/// process group). Every rank must make the same collective calls in the same order with the same
/// counts, or the job hangs; a rank with nothing to contribute still calls (with zeros or an empty
/// array). Failures inside MPI end the whole job (Open MPI's default error handler), so the calls do
/// not throw. `SingleProcessCommunicator` is the 1-process oracle; `MPICommunicator` runs under
/// `mpirun`; `worldCommunicator()` picks one.
public protocol Communicator: AnyObject, Sendable {
    /// This process's index, 0 ..< size. Rank 0 alone writes files.
    var rank: Int { get }
    /// The number of processes in the job.
    var size: Int { get }
    /// buffer := the element-wise sum of every rank's buffer (same count on every rank), in place.
    func allreduceSum<T: CollectiveElement>(_ buffer: UnsafeMutableBufferPointer<T>)
    /// buffer := root's buffer (same count on every rank).
    func broadcast<T: CollectiveElement>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int)
    /// Returns when every rank has called it.
    func barrier()
    /// result := the element-wise sum of `values` over the ranks below this one (zeros on rank 0).
    func exclusiveScanSum<T: CollectiveElement>(_ values: UnsafeBufferPointer<T>, into result: UnsafeMutableBufferPointer<T>)
    /// Every rank's `values` (any length, small), indexed by rank.
    func allgather<T: CollectiveElement>(_ values: [T]) -> [[T]]
    /// Every rank's `values` end to end in rank order, and each rank's count (one buffer: for large
    /// arrays, fewer than 2³¹ elements in all).
    func allgatherConcatenated<T: CollectiveElement>(_ values: [T]) -> (values: [T], counts: [Int])
    /// On `root`: every rank's `values` end to end in rank order (fewer than 2³¹ elements in all);
    /// on the other ranks: empty. Only root receives the data.
    func gatherConcatenated<T: CollectiveElement>(_ values: [T], root: Int) -> [T]
    /// Sends rank r the next `counts[r]` elements of `values` (laid out rank after rank, any lengths)
    /// and returns what every rank sent this one, end to end in rank order, and each rank's count
    /// (MPI_Alltoallv; fewer than 2³¹ elements each way).
    func allToAll<T: CollectiveElement>(_ values: [T], counts: [Int]) -> (values: [T], counts: [Int])
    /// Ends every process of the job with exit status `status`.
    func abort(status: Int32) -> Never
    /// Seconds this process has spent inside collective calls so far: the transfers and the waits
    /// for slower ranks (0 in one process).
    var secondsInCollectives: Double { get }
}

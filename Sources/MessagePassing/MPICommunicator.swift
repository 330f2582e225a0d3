import CMPI
import Support

/// MPI_COMM_WORLD of an Open MPI job (`mpirun -np N glossa …`), through the CMPI shim, which loads
/// libmpi.so.40 at run time. MPI is initialized once per process and finalized at exit.
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int

    /// Loads Open MPI and joins the job; throws a one-line error when libmpi cannot be loaded.
    public init() throws {
        var message = [CChar](repeating: 0, count: 512)
        guard glossa_mpi_init(&message, Int32(message.count)) == 0 else {
            throw InputError(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        rank = Int(glossa_mpi_rank())
        size = Int(glossa_mpi_size())
    }

    public func allreduceSum<T: CollectiveElement>(_ buffer: UnsafeMutableBufferPointer<T>) {
        guard let base = buffer.baseAddress else { return check(glossa_mpi_allreduce_sum(nil, 0, T.collectiveType)) }
        check(glossa_mpi_allreduce_sum(base, buffer.count, T.collectiveType))
    }

    public func broadcast<T: CollectiveElement>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) {
        check(glossa_mpi_broadcast(buffer.baseAddress, buffer.count, T.collectiveType, Int32(root)))
    }

    public func barrier() { check(glossa_mpi_barrier()) }

    public var secondsInCollectives: Double { glossa_mpi_collective_seconds() }

    public func exclusiveScanSum<T: CollectiveElement>(_ values: UnsafeBufferPointer<T>, into result: UnsafeMutableBufferPointer<T>) {
        precondition(values.count == result.count)
        check(glossa_mpi_exscan_sum(values.baseAddress, result.baseAddress, values.count, T.collectiveType))
    }

    public func allgather<T: CollectiveElement>(_ values: [T]) -> [[T]] {
        let (gathered, counts) = allgatherConcatenated(values)
        var start = 0
        return counts.map { count in
            defer { start += count }
            return Array(gathered[start..<(start + count)])
        }
    }

    public func allgatherConcatenated<T: CollectiveElement>(_ values: [T]) -> (values: [T], counts: [Int]) {
        let counts = gatherCounts(values.count)
        let total = counts.reduce(0) { $0 + Int($1) }
        precondition(total <= Int(Int32.max), "an allgather of \(total) elements: MPI counts are int")
        var gathered = [T](unsafeUninitializedCapacity: total) { _, initialized in initialized = total }
        values.withUnsafeBufferPointer { send in
            gathered.withUnsafeMutableBufferPointer { receive in
                check(glossa_mpi_allgatherv(send.baseAddress, Int32(values.count), receive.baseAddress,
                                            counts, starts(counts), T.collectiveType))
            }
        }
        return (gathered, counts.map(Int.init))
    }

    public func gatherConcatenated<T: CollectiveElement>(_ values: [T], root: Int) -> [T] {
        let counts = gatherCounts(values.count)  // every rank learns them; a few bytes
        let total = counts.reduce(0) { $0 + Int($1) }
        precondition(total <= Int(Int32.max), "a gather of \(total) elements: MPI counts are int")
        let received = rank == root ? total : 0
        var gathered = [T](unsafeUninitializedCapacity: received) { _, initialized in initialized = received }
        values.withUnsafeBufferPointer { send in
            gathered.withUnsafeMutableBufferPointer { receive in
                check(glossa_mpi_gatherv(send.baseAddress, Int32(values.count), receive.baseAddress, counts, starts(counts),
                                         T.collectiveType, Int32(root)))
            }
        }
        return gathered
    }

    public func allToAll<T: CollectiveElement>(_ values: [T], counts: [Int]) -> (values: [T], counts: [Int]) {
        precondition(counts.count == size && counts.reduce(0, +) == values.count, "counts \(counts) for \(size) ranks and \(values.count) values")
        let ones = [Int32](repeating: 1, count: size), each = (0..<size).map { Int32($0) }
        let sendCounts = counts.map { Int64($0) }
        var receiveCounts = [Int64](repeating: 0, count: size)
        sendCounts.withUnsafeBufferPointer { send in
            receiveCounts.withUnsafeMutableBufferPointer { receive in
                check(glossa_mpi_alltoallv(send.baseAddress, ones, each, receive.baseAddress, ones, each, Int64.collectiveType))
            }
        }
        let total = receiveCounts.reduce(0, +)
        precondition(total <= Int64(Int32.max) && values.count <= Int(Int32.max), "an all-to-all of \(max(Int(total), values.count)) elements: MPI counts are int")
        var received = [T](unsafeUninitializedCapacity: Int(total)) { _, initialized in initialized = Int(total) }
        let sendCounts32 = sendCounts.map { Int32($0) }, receiveCounts32 = receiveCounts.map { Int32($0) }
        values.withUnsafeBufferPointer { send in
            received.withUnsafeMutableBufferPointer { receive in
                check(glossa_mpi_alltoallv(send.baseAddress, sendCounts32, starts(sendCounts32), receive.baseAddress, receiveCounts32,
                                           starts(receiveCounts32), T.collectiveType))
            }
        }
        return (received, receiveCounts.map { Int($0) })
    }

    /// Where each rank's elements start when `counts` of them are laid end to end.
    private func starts(_ counts: [Int32]) -> [Int32] {
        var starts = [Int32](repeating: 0, count: counts.count)
        for r in counts.indices.dropFirst() { starts[r] = starts[r - 1] + counts[r - 1] }
        return starts
    }

    /// Every rank's element count, in rank order (what MPI_Allgatherv needs first).
    private func gatherCounts(_ count: Int) -> [Int32] {
        let send = [Int64(count)]
        var all = [Int64](repeating: 0, count: size)
        let ones = [Int32](repeating: 1, count: size)
        let starts = (0..<size).map { Int32($0) }
        send.withUnsafeBufferPointer { send in
            all.withUnsafeMutableBufferPointer { receive in
                check(glossa_mpi_allgatherv(send.baseAddress, 1, receive.baseAddress, ones, starts, Int64.collectiveType))
            }
        }
        return all.map { Int32($0) }
    }

    public func abort(status: Int32) -> Never {
        glossa_mpi_abort(status)
        fatalError("MPI_Abort returned")
    }

    /// MPI's default error handler ends the job on failure, so a non-zero code is a broken invariant.
    private func check(_ code: Int32) {
        precondition(code == 0, "MPI call failed with error code \(code)")
    }
}

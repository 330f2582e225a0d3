import Foundation
import MessagePassing

/// N ranks of one job as N threads of this process, for testing collective code without mpirun:
/// `ThreadedCommunicator.run(ranks: 3) { communicator in … }` calls the body on 3 threads, one
/// communicator each, and returns their results by rank. Every collective hands each rank's data to
/// the others through shared slots between two barriers; sums are taken in rank order.
public final class ThreadedCommunicator: Communicator, @unchecked Sendable {
    /// What the ranks of one job share: one slot per rank and a reusable barrier.
    final class Job: @unchecked Sendable {
        let size: Int
        let condition = NSCondition()
        var slots: [Any?]
        var arrived = 0
        var generation = 0

        init(size: Int) {
            self.size = size
            slots = Array(repeating: nil, count: size)
        }
    }

    /// The ranks' results (written under a lock, read once every thread is done).
    final class Results: @unchecked Sendable {
        var values: [Any?]
        init(count: Int) { values = Array(repeating: nil, count: count) }
    }

    let job: Job
    public let rank: Int
    public var size: Int { job.size }
    /// Not measured for threads.
    public var secondsInCollectives: Double { 0 }

    init(job: Job, rank: Int) {
        self.job = job
        self.rank = rank
    }

    /// `body(communicator)` on `ranks` threads at once; the results, by rank.
    public static func run<T>(ranks: Int, _ body: @escaping @Sendable (ThreadedCommunicator) -> T) -> [T] {
        let job = Job(size: ranks)
        let results = Results(count: ranks)
        let group = DispatchGroup()
        let lock = NSLock()
        for rank in 0..<ranks {
            let thread = Thread {
                let value = body(ThreadedCommunicator(job: job, rank: rank))
                lock.lock()
                results.values[rank] = value
                lock.unlock()
                group.leave()
            }
            thread.stackSize = 8 << 20
            group.enter()
            thread.start()
        }
        group.wait()
        return results.values.map { $0 as! T }
    }

    public func barrier() {
        job.condition.lock()
        let generation = job.generation
        job.arrived += 1
        if job.arrived == job.size {
            job.arrived = 0
            job.generation += 1
            job.condition.broadcast()
        } else {
            while job.generation == generation { job.condition.wait() }
        }
        job.condition.unlock()
    }

    /// Every rank's `value`, by rank (each rank's slot written, read by all, then freed).
    func exchange<T>(_ value: T) -> [T] {
        job.condition.lock()
        job.slots[rank] = value
        job.condition.unlock()
        barrier()
        job.condition.lock()
        let all = job.slots.map { $0 as! T }
        job.condition.unlock()
        barrier()
        return all
    }

    /// The sum of `values` (each rank's array, equal counts), element-wise in rank order.
    static func sum<T: CollectiveElement>(_ values: [[T]]) -> [T] {
        func add<U: AdditiveArithmetic>(_ type: U.Type) -> [T] {
            var total = values[0] as! [U]
            for other in values.dropFirst() { for (i, x) in (other as! [U]).enumerated() { total[i] += x } }
            return total as! [T]
        }
        switch T.self {
        case is Float.Type: return add(Float.self)
        case is Double.Type: return add(Double.self)
        case is Int64.Type: return add(Int64.self)
        case is Int32.Type: return add(Int32.self)
        default: preconditionFailure("no sum of \(T.self)")
        }
    }

    public func allreduceSum<T: CollectiveElement>(_ buffer: UnsafeMutableBufferPointer<T>) {
        let total = ThreadedCommunicator.sum(exchange(Array(buffer)))
        for i in buffer.indices { buffer[i] = total[i] }
    }

    public func broadcast<T: CollectiveElement>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) {
        let all = exchange(Array(buffer))
        for i in buffer.indices { buffer[i] = all[root][i] }
    }

    public func exclusiveScanSum<T: CollectiveElement>(_ values: UnsafeBufferPointer<T>, into result: UnsafeMutableBufferPointer<T>) {
        let all = exchange(Array(values))
        if rank == 0 {
            if let base = result.baseAddress { memset(base, 0, result.count * MemoryLayout<T>.stride) }
            return
        }
        let below = ThreadedCommunicator.sum(Array(all[..<rank]))
        for i in result.indices { result[i] = below[i] }
    }

    public func allgather<T: CollectiveElement>(_ values: [T]) -> [[T]] { exchange(values) }

    public func allgatherConcatenated<T: CollectiveElement>(_ values: [T]) -> (values: [T], counts: [Int]) {
        let all = exchange(values)
        return (Array(all.joined()), all.map(\.count))
    }

    public func gatherConcatenated<T: CollectiveElement>(_ values: [T], root: Int) -> [T] {
        let all = exchange(values)
        return rank == root ? Array(all.joined()) : []
    }

    public func allToAll<T: CollectiveElement>(_ values: [T], counts: [Int]) -> (values: [T], counts: [Int]) {
        precondition(counts.count == size && counts.reduce(0, +) == values.count, "counts \(counts) for \(size) ranks and \(values.count) values")
        var start = 0
        let parts = counts.map { count in
            defer { start += count }
            return Array(values[start..<(start + count)])
        }
        let all = exchange(parts)
        let mine = all.map { $0[rank] }
        return (Array(mine.joined()), mine.map(\.count))
    }

    public func abort(status: Int32) -> Never { exit(status) }
}

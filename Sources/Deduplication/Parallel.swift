import Foundation

/// The one parallel loop of the deduplicator: `0..<count` cut into `chunks` nearly equal consecutive
/// ranges, run on all cores (or `--threads`, `ThreadLimit`), results returned in range order. A
/// caller that combines them in that order gets the same answer whatever the number of threads: the
/// chunk counts come from the machine's cores, never from the thread limit.
enum Parallel {
    /// The machine's cores (chunk counts are derived from this, not from the thread limit). Read
    /// once: Foundation reads it from the cgroup files on every call.
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// The threads a parallel loop runs on: the cores within `--threads` (`ThreadLimit`).
    static var workers: Int { ThreadLimit.workers(cores) }

    /// The number of chunks for `count` items: one per `itemsPerChunk`, at least 1 and at most
    /// `perCore` per core.
    static func chunks(_ count: Int, itemsPerChunk: Int, perCore: Int) -> Int {
        max(1, min(count / itemsPerChunk, cores * perCore))
    }

    /// The `chunk`-th of `chunks` nearly equal consecutive ranges of `0..<count`.
    static func range(_ chunk: Int, of chunks: Int, count: Int) -> Range<Int> {
        (count * chunk / chunks)..<(count * (chunk + 1) / chunks)
    }

    /// `body(range)` for each of `chunks` ranges of `0..<count`, concurrently; the results in order.
    static func mapChunks<T>(count: Int, chunks: Int, _ body: (Range<Int>) -> T) -> [T] {
        map(max(1, chunks)) { chunk in body(range(chunk, of: max(1, chunks), count: count)) }
    }

    /// `body(i)` for i in `0..<count`, concurrently on at most `ThreadLimit.workers(cores)`
    /// threads; the results in order.
    static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        if count == 1 { return [body(0)] }
        var results = [T?](repeating: nil, count: count)
        let workers = self.workers
        results.withUnsafeMutableBufferPointer { results in
            if workers >= cores {
                DispatchQueue.concurrentPerform(iterations: count) { index in results[index] = body(index) }
            } else {
                DispatchQueue.concurrentPerform(iterations: min(workers, count)) { worker in
                    for index in stride(from: worker, to: count, by: workers) { results[index] = body(index) }
                }
            }
        }
        return results.map { $0! }
    }
}

import Foundation

/// The one parallel loop of the deduplicator: `0..<count` cut into `chunks` nearly equal consecutive
/// ranges, run on all cores, results returned in range order. A caller that combines them in that
/// order gets the same answer whatever the number of cores, as long as it fixes `chunks` itself.
enum Parallel {
    /// The cores a loop may use.
    static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

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

    /// `body(i)` for i in `0..<count`, concurrently; the results in order.
    static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { results in
            DispatchQueue.concurrentPerform(iterations: count) { index in results[index] = body(index) }
        }
        return results.map { $0! }
    }
}

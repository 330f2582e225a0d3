import Foundation
import Support

/// Runs work over a stream of line chunks on several cores while keeping the input order: reads up
/// to `workers` chunks, processes them at once (worker i gets chunk i), hands the results to
/// `consume` in order, and repeats. Memory stays at `workers` chunks, whatever the input's size; a
/// small input (one chunk) runs on the calling thread alone.
public enum ChunkPipeline {
    /// The number of workers worth using: the active cores, at most 2 (this tool's target machines),
    /// within `--threads` (`ThreadLimit`).
    public static var defaultWorkers: Int { ThreadLimit.workers(min(2, ProcessInfo.processInfo.activeProcessorCount)) }

    /// Processes every chunk of `reader`. `work(worker, chunk)` runs concurrently for distinct
    /// workers (0..<workers), so per-worker state indexed by `worker` needs no lock. The first error
    /// in input order is thrown.
    public static func run<Output>(reader: LineReader, workers: Int = defaultWorkers, chunkBytes: Int = 1 << 21,
                                   work: (Int, LineChunk) throws -> Output,
                                   consume: (Output) throws -> Void) throws {
        let workers = max(1, workers)
        let results = UnsafeMutableBufferPointer<Result<Output, Error>?>.allocate(capacity: workers)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        while true {
            var chunks: [LineChunk] = []
            while chunks.count < workers, let chunk = try reader.readChunk(targetBytes: chunkBytes) { chunks.append(chunk) }
            if chunks.isEmpty { return }
            withoutActuallyEscaping(work) { work in
                let box = UncheckedBox(work: work, results: results, chunks: chunks)
                if chunks.count == 1 {
                    box.results[0] = Result { try box.work(0, box.chunks[0]) }
                } else {
                    DispatchQueue.concurrentPerform(iterations: chunks.count) { i in
                        box.results[i] = Result { try box.work(i, box.chunks[i]) }
                    }
                }
            }
            for i in 0..<chunks.count {
                let result = results[i]!
                results[i] = nil
                try consume(result.get())
            }
        }
    }

    /// Carries the closure and buffers into `concurrentPerform`; each iteration touches its own slot.
    private struct UncheckedBox<Output>: @unchecked Sendable {
        let work: (Int, LineChunk) throws -> Output
        let results: UnsafeMutableBufferPointer<Result<Output, Error>?>
        let chunks: [LineChunk]
    }
}

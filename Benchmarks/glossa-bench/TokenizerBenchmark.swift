import Foundation
import TextProcessing

/// `glossa-bench tokenize FILE [--tokenizer icu|whitespace] [--repeat N]`: text to token ids in
/// memory, on one core and on all workers, best of `--repeat` runs; prints one JSON line per mode.
/// The vocabulary is built from FILE first (not timed), as the HuggingFace peer trains its WordLevel.
func runTokenizerBenchmark(_ arguments: [String]) throws {
    guard let path = arguments.first else {
        print("usage: glossa-bench tokenize FILE [--tokenizer icu|whitespace] [--repeat N]")
        exit(2)
    }
    var settings = TokenizerSettings.icu()
    var repeats = 3
    var i = 1
    while i < arguments.count {
        switch arguments[i] {
        case "--tokenizer": settings = arguments[i + 1] == "whitespace" ? .whitespace : .icu(); i += 2
        case "--repeat": repeats = Int(arguments[i + 1]) ?? 3; i += 2
        default: print("unknown option \(arguments[i])"); exit(2)
        }
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let vocabulary = try Vocabulary.build(files: [path], settings: settings).vocabulary
    // Line spans of the in-memory text, found once (the peer also gets a list of lines).
    let spans = lineSpans(of: data)
    /// Tokenizes lines [from, to) to ids; returns (tokens, checksum of ids).
    func encode(_ tokenizer: Tokenizer, _ from: Int, _ to: Int) -> (Int, Int) {
        var ids: [Int32] = []
        var tokens = 0, checksum = 0
        data.withUnsafeBytes { raw in
            for span in spans[from..<to] {
                ids.removeAll(keepingCapacity: true)
                tokenizer.appendIDs(UnsafeRawBufferPointer(rebasing: raw[span]), vocabulary: vocabulary, to: &ids)
                tokens += ids.count
                for id in ids { checksum &+= Int(id) }
            }
        }
        return (tokens, checksum)
    }
    let megabytes = Double(data.count) / 1e6
    for workers in [1, ChunkPipeline.defaultWorkers] {
        let tokenizers = (0..<workers).map { _ in Tokenizer(settings: settings) }
        var best = Double.infinity, bestCPU = Double.infinity
        var tokens = 0, checksum = 0
        for _ in 0..<repeats {
            let startCPU = processCPUSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            let partial = UnsafeMutableBufferPointer<(Int, Int)>.allocate(capacity: workers)
            defer { partial.deallocate() }
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                partial[w] = encode(tokenizers[w], spans.count * w / workers, spans.count * (w + 1) / workers)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = min(best, seconds)
            bestCPU = min(bestCPU, processCPUSeconds() - startCPU)
            tokens = partial.reduce(0) { $0 + $1.0 }
            checksum = partial.reduce(0) { $0 &+ $1.1 }
        }
        print(String(format: "{\"benchmark\": \"tokenize\", \"impl\": \"glossa\", \"tokenizer\": \"%@\", \"threads\": %ld, \"megabytes\": %.1f, \"seconds\": %.3f, \"mb_per_s\": %.1f, \"cpu_seconds\": %.3f, \"mb_per_cpu_s\": %.1f, \"tokens\": %ld, \"vocab\": %ld, \"checksum\": %ld}",
                     settings.kind.rawValue, workers, megabytes, best, megabytes / best, bestCPU, megabytes / bestCPU,
                     tokens, vocabulary.count, checksum))
    }
}

/// CPU time of the whole process (all threads), in seconds: on a shared machine, MB per CPU-second
/// says how fast the code is when other jobs take turns on the cores.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

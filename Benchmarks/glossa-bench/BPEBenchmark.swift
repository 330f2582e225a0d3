import Foundation
import TextProcessing

/// `glossa-bench bpe learn FILE… --merges N [--min-frequency F] [--tokenizer icu|whitespace] [--output CODES]`:
/// counts the words (all workers) and learns the merges; one JSON line with the wall and CPU seconds
/// of each stage.
/// `glossa-bench bpe apply FILE --codes CODES [--tokenizer icu|whitespace] [--repeat N]`: segments the
/// text in memory as `glossa tokenize --bpe` does, on one core and on all workers, best of N runs
/// (each with an empty cache); one JSON line per thread count.
func runBPEBenchmark(_ arguments: [String]) throws {
    let usage = "usage: glossa-bench bpe learn FILE... --merges N [--min-frequency F] [--tokenizer icu|whitespace] [--output CODES]\n"
        + "       glossa-bench bpe apply FILE --codes CODES [--tokenizer icu|whitespace] [--repeat N]"
    guard let action = arguments.first, action == "learn" || action == "apply" else { print(usage); exit(2) }
    var files: [String] = []
    var settings = TokenizerSettings.whitespace
    var merges = 10_000, minFrequency = 2, repeats = 3
    var output: String?, codesPath: String?
    var i = 1
    while i < arguments.count {
        let value = i + 1 < arguments.count ? arguments[i + 1] : ""
        switch arguments[i] {
        case "--tokenizer": settings = value == "icu" ? .icu() : .whitespace; i += 2
        case "--merges": merges = Int(value) ?? merges; i += 2
        case "--min-frequency": minFrequency = Int(value) ?? minFrequency; i += 2
        case "--repeat": repeats = Int(value) ?? repeats; i += 2
        case "--output": output = value; i += 2
        case "--codes": codesPath = value; i += 2
        default: files.append(arguments[i]); i += 1
        }
    }
    guard !files.isEmpty else { print(usage); exit(2) }
    if action == "learn" {
        let bytes = try files.reduce(0) { $0 + ((try FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        let startCPU = processCPUSeconds(), start = DispatchTime.now().uptimeNanoseconds
        let read = try BPEWords.count(files: files, settings: settings)
        let countedCPU = processCPUSeconds(), counted = DispatchTime.now().uptimeNanoseconds
        let codes = BPELearner(merges: merges, minFrequency: minFrequency).learn(counts: read.counts)
        let end = DispatchTime.now().uptimeNanoseconds, endCPU = processCPUSeconds()
        if let output { try codes.write(to: output) }
        print(String(format: "{\"benchmark\": \"bpe-learn\", \"impl\": \"glossa\", \"megabytes\": %.1f, \"word_types\": %ld, \"merges\": %ld, \"count_seconds\": %.3f, \"learn_seconds\": %.3f, \"seconds\": %.3f, \"cpu_seconds\": %.3f, \"count_cpu_seconds\": %.3f}",
                     Double(bytes) / 1e6, read.counts.types, codes.merges.count, Double(counted - start) / 1e9,
                     Double(end - counted) / 1e9, Double(end - start) / 1e9, endCPU - startCPU, countedCPU - startCPU))
        return
    }
    guard let codesPath else { print(usage); exit(2) }
    let codes = try BPECodes(contentsOf: codesPath)
    let data = try Data(contentsOf: URL(fileURLWithPath: files[0]))
    let spans = lineSpans(of: data)
    /// Segments lines [from, to); returns (output bytes, checksum).
    func segment(_ segmenter: BPESegmenter, _ words: BPEWords, _ from: Int, _ to: Int) -> (Int, Int) {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        var total = 0, checksum = 0
        data.withUnsafeBytes { raw in
            for span in spans[from..<to] {
                segmenter.appendSegmentedLine(UnsafeRawBufferPointer(rebasing: raw[span]), words: words, to: &out)
                out.append(0x0A)
                if out.count > 1 << 20 {
                    total += out.count
                    checksum &+= Int(out[out.count / 2])
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        return (total + out.count, checksum)
    }
    let megabytes = Double(data.count) / 1e6
    for workers in [1, ChunkPipeline.defaultWorkers] {
        var best = Double.infinity, bestCPU = Double.infinity, outBytes = 0
        for _ in 0..<repeats {
            let segmenters = (0..<workers).map { _ in BPESegmenter(codes: codes, glossaries: settings.protectedTokens) }
            let words = (0..<workers).map { _ in BPEWords(settings: settings) }
            let startCPU = processCPUSeconds(), start = DispatchTime.now().uptimeNanoseconds
            let partial = UnsafeMutableBufferPointer<(Int, Int)>.allocate(capacity: workers)
            defer { partial.deallocate() }
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                partial[w] = segment(segmenters[w], words[w], spans.count * w / workers, spans.count * (w + 1) / workers)
            }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            bestCPU = min(bestCPU, processCPUSeconds() - startCPU)
            outBytes = partial.reduce(0) { $0 + $1.0 }
        }
        print(String(format: "{\"benchmark\": \"bpe-apply\", \"impl\": \"glossa\", \"tokenizer\": \"%@\", \"threads\": %ld, \"megabytes\": %.1f, \"seconds\": %.3f, \"mb_per_s\": %.1f, \"cpu_seconds\": %.3f, \"mb_per_cpu_s\": %.1f, \"output_bytes\": %ld}",
                     settings.kind.rawValue, workers, megabytes, best, megabytes / best, bestCPU, megabytes / bestCPU, outBytes))
    }
}

// `glossa-bench gemm`: every matrix product shape of the language model and the translator, timed
// on Glossa's `gemm` and on OpenBLAS (and PyTorch with `--python`) in the same run, with each shape's
// roofline: min(compute peak, read bandwidth × arithmetic intensity), both measured at the start.
//
//   glossa-bench gemm [--threads 1,2] [--seconds 0.3] [--models lm200,lm650,translator]
//                     [--only SUBSTRING] [--clock wall|cpu]
//                     [--python /path/to/venv/bin/python] [--script Benchmarks/pytorch_gemm.py]
//
// Prints JSON lines: one "gemm-ceilings" line per thread count, then one "gemm" line per shape,
// thread count and implementation (best of three timings of at least `--seconds` each), each with
// the load average at its start. Memory-bound shapes cycle through enough operand copies that they
// come from memory, as a decoder's weights do between steps (PyTorch gets the same copies).
// `--clock cpu` divides by the process's CPU time per thread instead of wall time: time the
// scheduler gave to other processes is not counted, which makes comparisons on a loaded machine
// steadier (not a substitute for a quiet machine: caches and memory bandwidth are still shared).
import BenchKernels
import CBLAS
import Foundation
import NeuralCore

/// One product of a model: C (M×N) = op(A) · op(B), named after where it runs.
struct ProductShape {
    var model: String, product: String
    var m: Int, n: Int, k: Int, transposeA = false, transposeB = false

    var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    /// Copies of A and B to cycle through: enough to exceed the last-level cache when memory-bound.
    func copies(memoryBound: Bool) -> Int { memoryBound ? max(1, (192 << 20) / (4 * (m * k + k * n))) : 1 }
    /// Bytes a product must move at least: A and B read, C written.
    var bytes: Double { 4 * Double(m * k + k * n + m * n) }
}

/// The LSTM language model (T = 35, B = 20, E = H, V = 10,000): forward, both backward products,
/// the per-step products and a generation step (M = 1).
func languageModelShapes(hidden h: Int) -> [ProductShape] {
    let rows = 35 * 20, v = 10_000, model = "lm\(h)"
    return [
        ProductShape(model: model, product: "input projection x·W_ihᵀ", m: rows, n: 4 * h, k: h, transposeB: true),
        ProductShape(model: model, product: "recurrent step h·W_hhᵀ", m: 20, n: 4 * h, k: h),
        ProductShape(model: model, product: "recurrent step backward dg·W_hh", m: 20, n: h, k: 4 * h),
        ProductShape(model: model, product: "LSTM weight gradient dGᵀ·x", m: 4 * h, n: h, k: rows, transposeA: true),
        ProductShape(model: model, product: "LSTM input gradient dG·W_ih", m: rows, n: h, k: 4 * h),
        ProductShape(model: model, product: "decoder forward y·Wᵀ", m: rows, n: v, k: h, transposeB: true),
        ProductShape(model: model, product: "decoder weight gradient dyᵀ·y", m: v, n: h, k: rows, transposeA: true),
        ProductShape(model: model, product: "decoder input gradient dy·W", m: rows, n: h, k: v),
        ProductShape(model: model, product: "generation step y·Wᵀ (M = 1)", m: 1, n: v, k: h, transposeB: true),
        ProductShape(model: model, product: "generation recurrent step h·W_hhᵀ (M = 1)", m: 1, n: 4 * h, k: h),
    ]
}

/// The README's translator (GRU, E = 256, H = 512, bidirectional encoder, batches of 64, Multi30k
/// vocabularies, ≈ 14 tokens a sentence: 896 rows).
func translatorShapes() -> [ProductShape] {
    let rows = 14 * 64, e = 256, h = 512, v = 5943, model = "translator"
    return [
        ProductShape(model: model, product: "encoder input projection x·W_ihᵀ", m: rows, n: 3 * h, k: e, transposeB: true),
        ProductShape(model: model, product: "recurrent step h·W_hhᵀ", m: 64, n: 3 * h, k: h),
        ProductShape(model: model, product: "recurrent step backward dg·W_hh", m: 64, n: h, k: 3 * h),
        ProductShape(model: model, product: "GRU weight gradient dGᵀ·h", m: 3 * h, n: h, k: rows, transposeA: true),
        ProductShape(model: model, product: "output projection z·Wᵀ", m: rows, n: v, k: 2 * h, transposeB: true),
        ProductShape(model: model, product: "output weight gradient dyᵀ·z", m: v, n: 2 * h, k: rows, transposeA: true),
        ProductShape(model: model, product: "output input gradient dy·W", m: rows, n: 2 * h, k: v),
        ProductShape(model: model, product: "greedy decoding output z·Wᵀ (laid out)", m: 64, n: v, k: 2 * h),
        ProductShape(model: model, product: "greedy decoding output, last sentence (M = 1)", m: 1, n: v, k: 2 * h),
        ProductShape(model: model, product: "decoding recurrent step [e; c]·W_ihᵀ (M = 1)", m: 1, n: 3 * h, k: e + h),
        ProductShape(model: model, product: "decoding recurrent step h·W_hhᵀ (M = 1)", m: 1, n: 3 * h, k: h),
    ]
}

func runGemmBenchmark(_ arguments: [String]) throws {
    var threadCounts = [1, 2], seconds = 0.3, models = ["lm200", "lm650", "translator"]
    var python: String? = nil, script = "Benchmarks/pytorch_gemm.py", only = "", cpuClock = false
    var i = 0
    while i < arguments.count {
        let a = arguments[i], v = i + 1 < arguments.count ? arguments[i + 1] : ""
        switch a {
        case "--threads": threadCounts = v.split(separator: ",").compactMap { Int($0) }
        case "--seconds": seconds = Double(v) ?? seconds
        case "--models": models = v.split(separator: ",").map(String.init)
        case "--python": python = v
        case "--script": script = v
        case "--only": only = v
        case "--clock":
            guard v == "wall" || v == "cpu" else { throw BenchError("--clock takes wall or cpu, not \(v)") }
            cpuClock = v == "cpu"
        default: throw BenchError("unknown option \(a)")
        }
        i += 2
    }
    var shapes: [ProductShape] = []
    for model in models {
        if model == "translator" { shapes += translatorShapes() }
        else if model.hasPrefix("lm"), let h = Int(model.dropFirst(2)) { shapes += languageModelShapes(hidden: h) }
        else { throw BenchError("unknown model \(model) (lm<H> or translator)") }
    }
    if !only.isEmpty { shapes = shapes.filter { "\($0.model) \($0.product) \($0.m)x\($0.n)x\($0.k)".contains(only) } }
    let kernel = ownGemmKernels ? "avx512" : "openblas-fallback"
    for threads in threadCounts {
        let (peak, bandwidth) = measureCeilings(threads: threads)
        print(#"{"benchmark": "gemm-ceilings", "threads": \#(threads), "fma_peak_gflops": \#(format(peak)), "read_bandwidth_gbs": \#(format(bandwidth)), "glossa_kernel": "\#(kernel)", "clock": "\#(cpuClock ? "cpu" : "wall")", "load": \#(format(loadAverage()))}"#)
        let copies = shapes.map { $0.copies(memoryBound: bandwidth * $0.flops / $0.bytes < peak) }
        var torch: [Double] = []
        if let python {
            torch = try runPyTorchProducts(python: python, script: script, shapes: shapes, copies: copies, threads: threads,
                                           seconds: seconds, cpuClock: cpuClock)
        }
        for (index, shape) in shapes.enumerated() {
            let roofline = min(peak, bandwidth * shape.flops / shape.bytes)
            for implementation in ["glossa", "openblas"] {
                let load = loadAverage()
                let rate = timeProduct(shape, threads: threads, openBLAS: implementation == "openblas",
                                       copies: copies[index], seconds: seconds, cpuClock: cpuClock)
                printProduct(shape, implementation: implementation, threads: threads, gflops: rate, roofline: roofline, load: load)
            }
            if index < torch.count {
                printProduct(shape, implementation: "pytorch", threads: threads, gflops: torch[index], roofline: roofline, load: loadAverage())
            }
        }
    }
}

func printProduct(_ s: ProductShape, implementation: String, threads: Int, gflops: Double, roofline: Double, load: Double) {
    print(#"{"benchmark": "gemm", "model": "\#(s.model)", "product": "\#(s.product)", "M": \#(s.m), "N": \#(s.n), "K": \#(s.k), "transA": \#(s.transposeA), "transB": \#(s.transposeB), "impl": "\#(implementation)", "threads": \#(threads), "gflops": \#(format(gflops)), "roofline_gflops": \#(format(roofline)), "fraction_of_roofline": \#(format(gflops / roofline)), "load": \#(format(load))}"#)
}

func loadAverage() -> Double {
    var load = [0.0, 0, 0]
    return getloadavg(&load, 3) > 0 ? load[0] : -1
}

/// FMA peak (GFLOP/s) and streaming-read bandwidth (GB/s) with `threads` threads at once.
func measureCeilings(threads: Int) -> (peak: Double, bandwidth: Double) {
    let bytes = 256 << 20
    let buffer = UnsafeMutablePointer<Float>.allocate(capacity: bytes / 4)
    defer { buffer.deallocate() }
    buffer.initialize(repeating: 1, count: bytes / 4)
    let lock = NSLock()
    var peak = 0.0, bandwidth = 0.0
    DispatchQueue.concurrentPerform(iterations: threads) { part in
        let p = bench_fma_peak(0.5)
        let share = bytes / threads
        let b = bench_read_bandwidth(buffer + part * share / 4, share, 1.0)
        lock.lock(); peak += p; bandwidth += b; lock.unlock()
    }
    return (peak, bandwidth)
}

/// Seconds on the clock the benchmark divides by: wall time, or the process's CPU time per thread.
func clock(cpu: Bool, threads: Int) -> Double {
    guard cpu else { return now() }
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return (Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9) / Double(threads)
}

/// Best GFLOP/s of three timings, each repeating the product for at least `seconds` (cycling
/// through `copies` copies of the operands).
func timeProduct(_ s: ProductShape, threads: Int, openBLAS: Bool, copies: Int, seconds: Double, cpuClock: Bool) -> Double {
    let sizeA = s.m * s.k, sizeB = s.k * s.n
    var rng = SplitMix64(seed: 7)
    let a = (0..<copies * sizeA).map { _ in Float(rng.next() % 2001) / 1000 - 1 }
    let b = (0..<copies * sizeB).map { _ in Float(rng.next() % 2001) / 1000 - 1 }
    var c = [Float](repeating: 0, count: s.m * s.n)
    let lda = s.transposeA ? s.m : s.k, ldb = s.transposeB ? s.k : s.n
    let savedThreads = BlasThreads.count
    BlasThreads.count = threads
    defer { BlasThreads.count = savedThreads }
    var best = 0.0
    a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
        func product(_ copy: Int) {
            let x = pa.baseAddress! + copy * sizeA, y = pb.baseAddress! + copy * sizeB
            if openBLAS {
                glossa_sgemm_openblas(s.transposeA ? 1 : 0, s.transposeB ? 1 : 0, Int32(s.m), Int32(s.n), Int32(s.k), 1,
                                      x, Int32(lda), y, Int32(ldb), 0, pc.baseAddress!, Int32(s.n))
            } else {
                gemm(transposeA: s.transposeA, transposeB: s.transposeB, m: s.m, n: s.n, k: s.k, a: x, lda: lda,
                     b: y, ldb: ldb, beta: 0, c: pc.baseAddress!, ldc: s.n)
            }
        }
        for copy in 0..<copies { product(copy) }  // warm up: pack buffers, pages, threads
        for _ in 0..<3 {
            var count = 0
            let start = clock(cpu: cpuClock, threads: threads)
            repeat {
                product(count % copies)
                count += 1
            } while clock(cpu: cpuClock, threads: threads) - start < seconds
            best = max(best, s.flops * Double(count) / (clock(cpu: cpuClock, threads: threads) - start) / 1e9)
        }
    } } }
    return best
}

/// The same shapes on torch.matmul (`Benchmarks/pytorch_gemm.py`): GFLOP/s per shape, in order.
func runPyTorchProducts(python: String, script: String, shapes: [ProductShape], copies: [Int], threads: Int,
                        seconds: Double, cpuClock: Bool) throws -> [Double] {
    let list = zip(shapes, copies).map { s, c in "\(s.m),\(s.n),\(s.k),\(s.transposeA ? 1 : 0),\(s.transposeB ? 1 : 0),\(c)" }
    let json = try runPeer(python: python, arguments: [script, "--shapes", list.joined(separator: ";"), "--threads", "\(threads)",
                                                       "--seconds", "\(seconds)", "--clock", cpuClock ? "cpu" : "wall"])
    guard let rates = json["gflops"] as? [Double], rates.count == shapes.count else {
        throw BenchError("the PyTorch peer (\(python) \(script)) printed no rate per shape")
    }
    return rates
}

// `glossa-bench core`: forward + backward of the classic PTB word-LM step (Embedding → 2-layer
// LSTM → Linear(H, V) → mean cross-entropy over T·B targets), Glossa against PyTorch in the same
// run, plus the machine's measured SGEMM peak.
//
//   glossa-bench core [--hidden 200,650] [--steps 10] [--rounds 2] [--threads 2] [--python /root/venv/bin/python]
//                     [--script Benchmarks/pytorch_lstm_step.py]   (run from the repository root)
//
// Prints JSON lines: the SGEMM peak (best of five 2048³ products), then per size Glossa's and
// PyTorch's median and minimum seconds per step over all rounds, the ratios (PyTorch time / Glossa
// time) and the fraction of the SGEMM peak Glossa's step reaches (GEMM FLOPs of the step / median
// time / peak).
import Foundation
import NeuralCore

func runCoreBenchmark(_ arguments: [String]) throws {
    var hiddens = [200, 650]
    var steps = 10
    var rounds = 2
    var threads = 2
    var python: String? = nil
    var script = "Benchmarks/pytorch_lstm_step.py"
    var (T, B, V) = (35, 20, 10_000)
    var i = 0
    while i < arguments.count {
        let a = arguments[i], v = i + 1 < arguments.count ? arguments[i + 1] : ""
        switch a {
        case "--hidden": hiddens = v.split(separator: ",").compactMap { Int($0) }
        case "--steps": steps = Int(v) ?? steps
        case "--rounds": rounds = Int(v) ?? rounds
        case "--threads": threads = Int(v) ?? threads
        case "--python": python = v
        case "--script": script = v
        case "--T": T = Int(v) ?? T
        case "--B": B = Int(v) ?? B
        case "--V": V = Int(v) ?? V
        default: throw BenchError("unknown option \(a)")
        }
        i += 2
    }
    if let t = ProcessInfo.processInfo.environment["GLOSSA_GEMM_PARALLEL_THRESHOLD"].flatMap(Int.init) {
        gemmParallelThreshold = t  // experiments: from which size products use both cores
    }
    BlasThreads.count = threads
    neuralCoreUsesBothCores = threads > 1
    let peak = measureSgemmPeak()
    print(#"{"benchmark": "sgemm-peak", "threads": \#(BlasThreads.count), "gflops": \#(format(peak))}"#)
    for H in hiddens {
        // Glossa and the peer alternate for `rounds` rounds so that load from other processes hits both.
        var glossaTimes: [Double] = [], torchTimes: [Double] = []
        for _ in 0..<rounds {
            glossaTimes += timeLSTMStep(T: T, B: B, E: H, H: H, V: V, steps: steps)
            if let python {
                torchTimes += try runPyTorch(python: python, script: script, T: T, B: B, H: H, V: V, steps: steps, threads: threads)
            }
        }
        let g = summary(glossaTimes)
        let flops = lstmStepFlops(T: T, B: B, E: H, H: H, V: V)
        var line = #"{"benchmark": "lstm-lm-step", "impl": "glossa", "threads": \#(threads), "T": \#(T), "B": \#(B), "E": \#(H), "H": \#(H), "V": \#(V), "steps": \#(glossaTimes.count), "median_s": \#(format(g.median)), "min_s": \#(format(g.min)), "gemm_gflop": \#(format(flops / 1e9)), "gflops": \#(format(flops / g.median / 1e9)), "fraction_of_sgemm_peak": \#(format(flops / g.median / 1e9 / peak))"#
        if !torchTimes.isEmpty {
            let t = summary(torchTimes)
            line += #", "pytorch_median_s": \#(format(t.median)), "pytorch_min_s": \#(format(t.min)), "speedup_vs_pytorch": \#(format(t.median / g.median)), "speedup_vs_pytorch_min": \#(format(t.min / g.min))"#
        }
        print(line + "}")
    }
}

func summary(_ times: [Double]) -> (median: Double, min: Double) {
    let s = times.sorted()
    return (s[s.count / 2], s[0])
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

func format(_ x: Double) -> String { String(format: "%.4g", x) }

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Best GFLOP/s of a 2048³ SGEMM over five runs, with the benchmark's thread count.
func measureSgemmPeak() -> Double {
    let n = 2048
    var rng = SplitMix64(seed: 1)
    let a = Tensor(shape: [n, n], uniformBound: 1, rng: &rng), b = Tensor(shape: [n, n], uniformBound: 1, rng: &rng)
    var c = Tensor(zeros: [n, n])
    var best = 0.0
    for _ in 0..<5 {
        let t0 = now()
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                c.data.withUnsafeMutableBufferPointer { pc in
                    gemm(transposeA: false, transposeB: false, m: n, n: n, k: n, a: pa.baseAddress!, lda: n,
                         b: pb.baseAddress!, ldb: n, beta: 0, c: pc.baseAddress!, ldc: n)
                }
            }
        }
        best = max(best, 2 * Double(n * n * n) / (now() - t0) / 1e9)
    }
    return best
}

/// GEMM FLOPs of one forward + backward step: forward products ×3 (forward, weight gradient,
/// input gradient).
func lstmStepFlops(T: Int, B: Int, E: Int, H: Int, V: Int) -> Double {
    let n = Double(T * B)
    let layer0 = 2 * n * Double(E) * Double(4 * H) + 2 * n * Double(H) * Double(4 * H)
    let layer1 = 2 * n * Double(H) * Double(4 * H) * 2
    let decoder = 2 * n * Double(H) * Double(V)
    return 3 * (layer0 + layer1 + decoder)
}

func timeLSTMStep(T: Int, B: Int, E: Int, H: Int, V: Int, steps: Int) -> [Double] {
    var rng = SplitMix64(seed: 0)
    let store = ParameterStore()
    let embed = Embedding(vocabularySize: V, dimension: E, prefix: "encoder", store: store, rng: &rng)
    let rnn = Recurrent(cell: .lstm, inputSize: E, hiddenSize: H, numLayers: 2, prefix: "rnn", store: store, rng: &rng)
    let decoder = Linear(inputSize: H, outputSize: V, prefix: "decoder", store: store, rng: &rng)
    let ids = (0..<(T * B)).map { _ in Int32(rng.next() % UInt64(V)) }
    let targets = (0..<(T * B)).map { _ in Int32(rng.next() % UInt64(V)) }
    let cache = RecurrentCache()
    var logits = Tensor(zeros: [T * B, V])
    var dFlat = Tensor(zeros: [T * B, H])
    var x = Tensor(zeros: [T * B, E])
    var phases = [Double](repeating: 0, count: 7)
    var mark = now()
    func lap(_ i: Int) {
        let t = now()
        phases[i] += t - mark
        mark = t
    }
    func step() {
        mark = now()
        store.zeroGradients()
        x.data.withUnsafeMutableBufferPointer { embed.forward(y: $0.baseAddress!, ids: ids) }
        lap(0)
        let (y, _, c) = rnn.forward(x.reshaped([T, B, E]), reusing: cache)
        lap(1)
        y.data.withUnsafeBufferPointer { py in
            logits.data.withUnsafeMutableBufferPointer { decoder.forward(y: $0.baseAddress!, x: py.baseAddress!, rows: T * B) }
        }
        lap(2)
        softmaxCrossEntropyInPlace(&logits, targets: targets)
        lap(3)
        y.data.withUnsafeBufferPointer { py in
            logits.data.withUnsafeBufferPointer { pl in
                dFlat.data.withUnsafeMutableBufferPointer { pd in
                    decoder.backward(dx: pd.baseAddress!, dy: pl.baseAddress!, x: py.baseAddress!, rows: T * B)
                }
            }
        }
        lap(4)
        let (dx, _) = rnn.backward(dFlat.reshaped([T, B, H]), cache: c)
        lap(5)
        dx.data.withUnsafeBufferPointer { embed.backward(dy: $0.baseAddress!, ids: ids) }
        lap(6)
    }
    for _ in 0..<3 { step() }
    phases = phases.map { _ in 0 }
    var times: [Double] = []
    for _ in 0..<steps {
        let t0 = now()
        step()
        times.append(now() - t0)
    }
    if ProcessInfo.processInfo.environment["GLOSSA_BENCH_PHASES"] != nil {
        let names = ["zero+embed", "rnn_forward", "decoder_forward", "softmax_xent", "decoder_backward", "rnn_backward", "embed_backward"]
        let parts = zip(names, phases).map { "\"\($0)\": \(format($1 / Double(steps)))" }.joined(separator: ", ")
        print("{\"benchmark\": \"lstm-lm-step-phases\", \"H\": \(H), \(parts)}")
    }
    return times
}

func runPyTorch(python: String, script: String, T: Int, B: Int, H: Int, V: Int, steps: Int, threads: Int) throws -> [Double] {
    let json = try runPeer(python: python, arguments: [script, "--hidden", "\(H)", "--steps", "\(steps)", "--T", "\(T)", "--B", "\(B)",
                                                       "--V", "\(V)", "--threads", "\(threads)"])
    guard let times = json["times"] as? [Double] else { throw BenchError("the PyTorch peer (\(python) \(script)) printed no times") }
    return times
}

/// Runs a Python peer script and returns the JSON object on the last line it prints.
func runPeer(python: String, arguments: [String]) throws -> [String: Any] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
          let line = String(data: data, encoding: .utf8)?.split(separator: "\n").last,
          let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw BenchError("the peer \(python) \(arguments.joined(separator: " ")) failed")
    }
    return json
}

// glossa-bench: timings of Glossa's own kernels and jobs, printed as JSON lines.
// Peers (PyTorch, HuggingFace tokenizers, recordlinkage) run from the scripts in Benchmarks/.
import Foundation

// One mode per job: `glossa-bench <mode> [options]`. Add a case for a new mode.
let mode = CommandLine.arguments.dropFirst().first ?? ""
let modeArguments = Array(CommandLine.arguments.dropFirst(2))
do {
    switch mode {
    case "tokenize": try runTokenizerBenchmark(modeArguments)
    case "core": try runCoreBenchmark(modeArguments)
    case "translate": try runTranslateBenchmark(modeArguments)
    case "gemm": try runGemmBenchmark(modeArguments)
    case "bpe": try runBPEBenchmark(modeArguments)
    default:
        print("usage: glossa-bench <tokenize|core|translate|gemm|bpe> [options]")
        exit(2)
    }
} catch {
    print("glossa-bench: \(error)")
    exit(1)
}

// swift-tools-version:5.10
// Glossa: next-word prediction, translation and address deduplication on the CPU.
// The layers (dependencies point down; nothing depends on the CLI) are drawn in docs/ARCHITECTURE.md.
import PackageDescription

/// Swift code is compiled for the baseline x86-64 CPU (no CPU flag: Swift cannot target one function);
/// release builds drop overflow checks so index arithmetic in hot loops vectorizes.
let fastMath: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

let package = Package(
    name: "Glossa",
    products: [
        .executable(name: "glossa", targets: ["glossa"]),
        .library(name: "Support", targets: ["Support"]),
        .library(name: "TextProcessing", targets: ["TextProcessing"]),
        .library(name: "NeuralCore", targets: ["NeuralCore"]),
        .library(name: "LanguageModel", targets: ["LanguageModel"]),
        .library(name: "Translation", targets: ["Translation"]),
        .library(name: "Deduplication", targets: ["Deduplication"]),
        .library(name: "MessagePassing", targets: ["MessagePassing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // System libraries behind small C shims whose public headers carry no ICU / BLAS types.
        .target(name: "CICU", linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icui18n"), .linkedLibrary("icudata")]),
        // The hot numeric loops are C, compiled for AVX2 + FMA (the documented minimum CPU); its matrix
        // products run AVX-512 kernels chosen at run time from CPUID (GLOSSA_GEMM=fallback: OpenBLAS).
        .target(name: "CBLAS",
                cSettings: [.unsafeFlags(["-O3", "-mavx2", "-mfma", "-ffp-contract=fast"])],
                linkerSettings: [.linkedLibrary("openblas")]),
        // Open MPI, loaded with dlopen only under mpirun (docs/DESIGN.md, "Data-parallel training").
        .target(name: "CMPI", linkerSettings: [.linkedLibrary("dl")]),

        // The SIGINT/SIGTERM handler: C, because a signal handler may only call async-signal-safe code.
        .target(name: "CInterrupt"),
        // The cores a process may run on (sched_getaffinity needs _GNU_SOURCE, not in Swift's Glibc module).
        .target(name: "CAffinity"),
        // glibc's allocator settings (mallopt: malloc.h is not in Swift's Glibc module).
        .target(name: "CAllocator"),

        // What every layer shares: one-line input errors, atomic file writes, the interrupt handler,
        // the output-folder lock, the seeded generator, the thread limit and usable cores.
        .target(name: "Support", dependencies: ["CInterrupt", "CAffinity"]),
        // The processes of a job and their collectives (one process, or MPI_COMM_WORLD under mpirun).
        .target(name: "MessagePassing", dependencies: ["CMPI", "Support"]),
        .target(name: "TextProcessing", dependencies: ["CICU", "Support"], swiftSettings: fastMath),
        .target(name: "NeuralCore", dependencies: ["CBLAS", "Support", "MessagePassing"], swiftSettings: fastMath),
        .target(name: "LanguageModel", dependencies: ["NeuralCore", "TextProcessing", "MessagePassing"], swiftSettings: fastMath),
        .target(name: "Translation", dependencies: ["NeuralCore", "TextProcessing", "MessagePassing", "Support"], swiftSettings: fastMath),
        .target(name: "Deduplication", dependencies: ["TextProcessing", "Support", "MessagePassing", "CAllocator"], swiftSettings: fastMath),

        .executableTarget(name: "glossa", dependencies: [
            "TextProcessing", "NeuralCore", "LanguageModel", "Translation", "Deduplication", "MessagePassing",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The machine's ceilings (FMA peak, read bandwidth) for the benchmark's rooflines.
        .target(name: "BenchKernels", path: "Benchmarks/BenchKernels", cSettings: [.unsafeFlags(["-O3", "-mavx2", "-mfma"])]),
        .executableTarget(name: "glossa-bench", dependencies: [
            "BenchKernels", "CBLAS", "TextProcessing", "NeuralCore", "LanguageModel", "Translation", "Deduplication",
        ], path: "Benchmarks/glossa-bench", swiftSettings: fastMath),

        // Runs every collective and checks the sums; the MPI tests launch it with mpirun.
        .executableTarget(name: "glossa-mpi-check", dependencies: ["MessagePassing"], path: "Tests/MPICheck"),

        // The fuzz targets (CSV parser, tokenizer, model files, vocabulary): libFuzzer under `make fuzz`,
        // a replay of the seed corpora (Fuzz/seeds) otherwise.
        .executableTarget(name: "glossa-fuzz", dependencies: [
            "TextProcessing", "NeuralCore", "LanguageModel", "Translation", "Deduplication",
        ], path: "Fuzz/glossa-fuzz"),

        // Helpers the test targets share (temporary folders, a small disk that fills up, N ranks on threads).
        .target(name: "TestSupport", dependencies: ["NeuralCore", "MessagePassing"], path: "Tests/TestSupport"),
        .testTarget(name: "SupportTests", dependencies: ["Support", "TestSupport"]),
        // The collectives, and data-parallel training through the real binary under mpirun.
        .testTarget(name: "MessagePassingTests", dependencies: ["MessagePassing", "NeuralCore", "TestSupport", "glossa-mpi-check", "glossa"]),
        .testTarget(name: "TextProcessingTests", dependencies: ["TextProcessing", "TestSupport"], exclude: ["Fixtures"]),  // read by #filePath
        .testTarget(name: "NeuralCoreTests", dependencies: ["NeuralCore", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LanguageModelTests", dependencies: ["LanguageModel", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TranslationTests", dependencies: ["Translation", "TestSupport"], exclude: ["Fixtures"]),  // read by #filePath
        // CSV.swift is an independent RFC 4180 parser the tests check Glossa's own (strict, line-numbered) parser against.
        .testTarget(name: "DeduplicationTests", dependencies: ["Deduplication", "MessagePassing", "TestSupport", "CAllocator", .product(name: "CSV", package: "CSV.swift")]),
        .testTarget(name: "GlossaCLITests", dependencies: ["glossa", "glossa-fuzz", "TestSupport"], exclude: ["Fixtures"]),  // read by #filePath
    ]
)

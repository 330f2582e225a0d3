import Foundation

/// `glossa-fuzz TARGET ARGUMENTS...` runs one fuzz target (FuzzTarget.swift) in one of two ways:
///
/// - built with `-sanitize=fuzzer` and `-D GLOSSA_LIBFUZZER` (make fuzz): ARGUMENTS go to libFuzzer
///   (`-max_total_time=15 CORPUS_FOLDER SEED_FOLDER`), which calls the target with new inputs;
/// - built normally: ARGUMENTS are files or folders; the target runs once on each file, which replays
///   the committed seed corpora (Fuzz/seeds) and any saved crash input in the ordinary test suite.
@main
struct GlossaFuzz {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 3, let target = FuzzTarget(rawValue: arguments[1]) else {
            FileHandle.standardError.write(Data("usage: glossa-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE_OR_FOLDER... (or libFuzzer flags)\n".utf8))
            exit(2)
        }
        selectedTarget = target
        #if GLOSSA_LIBFUZZER
        exit(runLibFuzzer())
        #else
        replay(target, Array(arguments.dropFirst(2)))
        #endif
    }

    /// Runs `target` on each file (folders: each file in them, sorted).
    static func replay(_ target: FuzzTarget, _ paths: [String]) {
        var count = 0
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("glossa-fuzz: no such file \(path)\n".utf8))
                exit(1)
            }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                target.run([UInt8](data))
                count += 1
            }
        }
        print("glossa-fuzz \(target.rawValue): \(count) inputs, no failure")
    }
}

/// The target `LLVMFuzzerTestOneInput` runs (set once by main, before libFuzzer starts).
nonisolated(unsafe) var selectedTarget = FuzzTarget.csv

#if GLOSSA_LIBFUZZER
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selectedTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// Hands the arguments after the target name to libFuzzer's driver.
func runLibFuzzer() -> Int32 {
    var argv: [UnsafeMutablePointer<CChar>?] = [strdup(CommandLine.arguments[0])]
        + CommandLine.arguments.dropFirst(2).map { strdup($0) } + [nil]
    var argc = Int32(argv.count - 1)
    return argv.withUnsafeMutableBufferPointer { buffer in
        var base = buffer.baseAddress!
        return LLVMFuzzerRunDriver(&argc, &base, fuzzOneInput)
    }
}
#endif

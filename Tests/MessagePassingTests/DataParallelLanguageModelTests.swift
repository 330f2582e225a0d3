import Foundation
import TestSupport
import XCTest

/// `glossa lm train` under mpirun against the 1-process oracle: 2 and 3 ranks with global batch B
/// reach the model one process reaches with batch B (SGD, with and without dropout); a batch the
/// ranks cannot share is refused; a run resumes with another rank count; SIGTERM stops every rank
/// at the same step with a checkpoint; a rank killed with -9 ends the job and leaves the last
/// checkpoint loadable.
final class DataParallelLanguageModelTests: MPITrainingTestCase {
    override func writeCorpora(with numbers: inout TestNumbers) throws {
        let words = "the a cat dog sat on mat ran fast slow big small red blue house tree bird sang over under".split(separator: " ")
        func corpus(_ lines: Int) -> String {
            (0..<lines).map { _ in (0..<(4 + numbers.next(9))).map { _ in String(words[numbers.next(words.count)]) }.joined(separator: " ") }
                .joined(separator: "\n") + "\n"
        }
        try corpus(400).write(toFile: folder + "/train.txt", atomically: true, encoding: .utf8)
        try corpus(60).write(toFile: folder + "/valid.txt", atomically: true, encoding: .utf8)
    }

    /// 2-layer LSTM, E 16, H 24, global batch 6, BPTT 7, SGD lr 1, clip 5.
    func arguments(_ output: String, _ extra: [String]) -> [String] {
        ["lm", "train", "--train", folder + "/train.txt", "--valid", folder + "/valid.txt", "--output", folder + "/" + output,
         "--tokenizer", "whitespace", "--layers", "2", "--embed", "16", "--hidden", "24", "--batch-size", "6", "--bptt", "7"] + extra
    }

    /// `ranks` 1 runs glossa itself; more run it under mpirun.
    func train(_ ranks: Int, _ output: String, _ extra: [String], resume: Bool = false) throws -> ProcessResult {
        let args = resume ? ["lm", "train", "--output", folder + "/" + output, "--resume"] + extra : arguments(output, extra)
        return try glossa(ranks: ranks, args)
    }

    /// The last validation record of a run's metrics.jsonl.
    func lastValidation(_ output: String) throws -> [String: Any] {
        let lines = try String(contentsOfFile: folder + "/" + output + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        let records = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        return try XCTUnwrap(records.last { $0["split"] as? String == "valid" })
    }

    func assertSameModel(_ output: String, as reference: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (mine, oracle) = (try lastValidation(output), try lastValidation(reference))
        XCTAssertEqual(mine["step"] as? Int, oracle["step"] as? Int, file: file, line: line)
        for key in ["perplexity", "train_perplexity"] {
            let (a, b) = (try XCTUnwrap(mine[key] as? Double), try XCTUnwrap(oracle[key] as? Double))
            XCTAssertLessThanOrEqual(abs(a - b) / b, 1e-5, "\(output) \(key) \(a) against one process's \(b)", file: file, line: line)
        }
    }

    func testTwoAndThreeRanksGiveTheOneProcessModel() throws {
        for dropout in ["0", "0.3"] {
            let steps = ["--max-steps", "12", "--dropout", dropout]
            _ = try train(1, "one-\(dropout)", steps)
            for ranks in [2, 3] {
                let result = try train(ranks, "ranks\(ranks)-\(dropout)", steps)
                XCTAssertTrue(result.stderr.contains("glossa: \(ranks) ranks; allreduce"), result.stderr)
                XCTAssertEqual(result.stdout.components(separatedBy: "best validation perplexity").count, 2, "rank 0 alone prints: \(result.stdout)")
                try assertSameModel("ranks\(ranks)-\(dropout)", as: "one-\(dropout)")
            }
        }
    }

    /// One rank in each of two network namespaces ("hosts" talking over TCP through the root namespace).
    func testTwoHostsGiveTheOneProcessModel() throws {
        let steps = ["--max-steps", "12", "--dropout", "0.3"]
        _ = try train(1, "one", steps)
        let result = try runProcess(twoHostsScript, [glossa] + arguments("hosts", steps), timeout: 120)
        if result.stdout.hasPrefix("skipped:") { throw XCTSkip(result.stdout) }
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        try assertSameModel("hosts", as: "one")
    }

    func testABatchTheRanksCannotShareIsRefused() throws {
        let result = try mpirun(2, glossa, arguments("odd", ["--batch-size", "5", "--max-steps", "2"]))
        XCTAssertNotEqual(result.status, 0)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        XCTAssertEqual(errors, ["Error: --batch-size 5 cannot be shared by 2 processes: the global batch must be a multiple of the number of ranks (mpirun -np)"],
                       result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/odd"))
    }

    /// 2 ranks for 4 steps, 3 ranks to step 8, one process to step 12: the uninterrupted run's model.
    func testResumeWithAnotherRankCount() throws {
        let dropout = ["--dropout", "0.2"]
        _ = try train(1, "reference", ["--max-steps", "12"] + dropout)
        _ = try train(2, "chain", ["--max-steps", "4"] + dropout)
        _ = try train(3, "chain", ["--max-steps", "8"], resume: true)
        _ = try train(1, "chain", ["--max-steps", "12"], resume: true)
        try assertSameModel("chain", as: "reference")
    }

    /// Starts a long 2-rank run and returns mpirun once the first epoch's checkpoint is written.
    func startLongRun(_ output: String) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try requireMPIRun())
        process.arguments = ["-np", "2", "--oversubscribe", "--bind-to", "none", glossa] + arguments(output, ["--epochs", "1000"])
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1", "OPENBLAS_NUM_THREADS": "1",
             "OMPI_MCA_btl_tcp_if_include": "lo", "OMPI_MCA_oob_tcp_if_include": "lo"]) { $1 }
        let stdout = Pipe(), errors = Pipe()
        process.standardOutput = stdout
        process.standardError = errors
        try process.run()
        let checkpoint = folder + "/" + output
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: checkpoint + "/checkpoint.safetensors") && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.1)
        }
        Thread.sleep(forTimeInterval: 0.3)
        return (process, stdout, errors)
    }

    /// Waits at most 30 s for `process` (killing it and failing on a hang); returns its stdout and stderr.
    func finish(_ process: Process, _ output: Pipe, _ errors: Pipe) -> (String, String) {
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            XCTFail("mpirun still running 30 s after the signal")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return (String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
                String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    func testSIGTERMStopsEveryRankAfterTheSameStepWithACheckpoint() throws {
        let (process, output, errors) = try startLongRun("term")
        XCTAssertTrue(process.isRunning)
        kill(process.processIdentifier, SIGTERM)  // what mpirun sends every rank on Ctrl-C
        let (_, stderr) = finish(process, output, errors)
        let stopped = try XCTUnwrap(stderr.firstMatch(of: try Regex<(Substring, Substring)>(#"interrupted at epoch \d+, step (\d+)"#)), stderr)
        let step = try XCTUnwrap(Int(stopped.output.1))
        _ = try train(1, "term", ["--max-steps", "\(step + 2)"], resume: true)
        XCTAssertEqual(try lastValidation("term")["step"] as? Int, step + 2)
    }

    func testARankKilledWithSignal9EndsTheJobAndTheCheckpointStillLoads() throws {
        let (process, output, errors) = try startLongRun("killed")
        let children = try runProcess("/usr/bin/pgrep", ["-P", "\(process.processIdentifier)"]).stdout.split(separator: "\n")
        let rank = try XCTUnwrap(children.last.flatMap { Int32($0) }, "no rank processes under mpirun")
        kill(rank, SIGKILL)
        let (_, stderr) = finish(process, output, errors)
        XCTAssertNotEqual(process.terminationStatus, 0)
        XCTAssertTrue(stderr.contains("exited on signal 9"), stderr)
        // The last checkpoint (the end of an epoch, written atomically) continues on one process.
        let step = try XCTUnwrap(try lastValidation("killed")["step"] as? Int)
        _ = try train(1, "killed", ["--max-steps", "\(step + 1)"], resume: true)
        XCTAssertEqual(try lastValidation("killed")["step"] as? Int, step + 1)
    }
}

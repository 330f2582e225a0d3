import Foundation
import Support
import XCTest

final class UsableCoresTests: XCTestCase {
    /// The same count as `nproc`, which reads the affinity mask too.
    func testCountsLikeNproc() throws {
        XCTAssertEqual(UsableCores.count, Int(try run("/usr/bin/nproc", []).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// This test binary run again under `taskset -c 0` (as mpirun binds a rank to one core) counts
    /// one core, though the machine has more.
    func testOneCoreUnderTaskset() throws {
        if ProcessInfo.processInfo.environment["GLOSSA_EXPECT_ONE_CORE"] != nil {
            return XCTAssertEqual(UsableCores.count, 1)
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset") else { throw XCTSkip("taskset (util-linux) is missing") }
        let output = try run("/usr/bin/taskset", ["-c", "0", CommandLine.arguments[0], "SupportTests.UsableCoresTests/testOneCoreUnderTaskset"],
                             environment: ["GLOSSA_EXPECT_ONE_CORE": "1"])
        XCTAssertTrue(output.contains("Executed 1 test, with 0 failures"), output)
    }

    /// `executable`'s standard output and error; fails unless it exits 0.
    private func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        return text
    }
}

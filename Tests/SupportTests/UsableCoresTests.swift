import Foundation
import Support
import TestSupport
import XCTest

final class UsableCoresTests: XCTestCase {
    /// The same count as `nproc`, which reads the affinity mask too.
    func testCountsLikeNproc() throws {
        // nproc also honours OMP_NUM_THREADS and OMP_THREAD_LIMIT, which are not the cores: without them.
        let result = try runProcess("/usr/bin/env", ["-u", "OMP_NUM_THREADS", "-u", "OMP_THREAD_LIMIT", "/usr/bin/nproc"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(UsableCores.count, Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// This test binary run again under `taskset -c 0` (as mpirun binds a rank to one core) counts
    /// one core, though the machine has more.
    func testOneCoreUnderTaskset() throws {
        if ProcessInfo.processInfo.environment["GLOSSA_EXPECT_ONE_CORE"] != nil {
            return XCTAssertEqual(UsableCores.count, 1)
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset") else { throw XCTSkip("taskset (util-linux) is missing") }
        let result = try runProcess("/usr/bin/taskset", ["-c", "0", CommandLine.arguments[0], "SupportTests.UsableCoresTests/testOneCoreUnderTaskset"],
                                    environment: ["GLOSSA_EXPECT_ONE_CORE": "1"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue((result.stdout + result.stderr).contains("Executed 1 test, with 0 failures"), result.stdout + result.stderr)
    }
}

import XCTest

final class GlossaHelpTests: XCTestCase {
    func testHelpListsTheJobs() throws {
        let run = try runGlossa(["--help"])
        XCTAssertEqual(run.status, 0)
        for job in ["lm", "translate", "dedup", "tokenize", "vocab"] {
            XCTAssertTrue(run.stdout.contains(job), "help should list \(job): \(run.stdout)")
        }
    }

    func testUnknownSubcommandFails() throws {
        let run = try runGlossa(["no-such-job"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertFalse(run.stderr.isEmpty)
    }
}

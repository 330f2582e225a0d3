import Foundation
import TestSupport
import XCTest

/// What the data-parallel training tests share: they skip without mpirun, work in a fresh temporary
/// folder (`folder`, removed afterwards) and run the built `glossa`. Subclasses write their corpora
/// in `writeCorpora(with:)`, from a seeded generator.
class MPITrainingTestCase: XCTestCase {
    var temporary: TemporaryFolder?
    var folder: String { temporary?.path ?? "" }
    let glossa = product("glossa")

    override func setUpWithError() throws {
        _ = try requireMPIRun()
        temporary = try TemporaryFolder("mpi-\(type(of: self))")
        var numbers = TestNumbers(state: 3)
        try writeCorpora(with: &numbers)
    }

    override func tearDownWithError() throws {
        temporary?.remove()
    }

    /// Runs `glossa arguments` on `ranks` processes: 1 runs it directly (the oracle), more under
    /// mpirun; fails the test unless it exits 0.
    @discardableResult
    func glossa(ranks: Int, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        let result = ranks == 1 ? try runProcess(glossa, arguments, environment: ["OPENBLAS_NUM_THREADS": "1"])
            : try mpirun(ranks, glossa, arguments)
        XCTAssertEqual(result.status, 0, "\(ranks) ranks: " + result.stdout + result.stderr, file: file, line: line)
        return result
    }

    /// Writes the test's training (and validation) files into `folder`.
    func writeCorpora(with numbers: inout TestNumbers) throws {}
}

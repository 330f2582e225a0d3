import Foundation
import XCTest

/// `--threads N` exists on every command that computes and changes no result.
final class ThreadsOptionTests: XCTestCase {
    func testEveryComputingCommandTakesThreads() throws {
        for command in [["lm", "train"], ["lm", "eval"], ["lm", "predict"], ["lm", "generate"], ["translate", "train"],
                        ["translate", "text"], ["translate", "eval"], ["tokenize"], ["vocab", "build"], ["vocab", "encode"]] {
            let help = try runGlossa(command + ["--help"])
            XCTAssertTrue(help.stdout.contains("--threads <threads>"), "\(command): \(help.stdout)")
        }
    }

    func testTokensDoNotDependOnThreads() throws {
        let text = (0..<3000).map { "Line \($0): Ünïcode, words & more — \($0 * 7)." }.joined(separator: "\n") + "\n"
        let one = try runGlossa(["tokenize", "--threads", "1"], stdin: text)
        let two = try runGlossa(["tokenize", "--threads", "2"], stdin: text)
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(one.stdout, two.stdout)
        XCTAssertEqual(try runGlossa(["tokenize", "--threads", "0"], stdin: "x\n").status, 64)
    }
}

import Foundation
import TestSupport
import XCTest

final class DedupCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = URL(fileURLWithPath: try TemporaryFolder("dedup").path)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func write(_ name: String, _ text: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    let people = """
    \u{FEFF}id, name, street, zip
    a1, Anna Smith, "12 Oak St., Apt 4", 10001
    a2, ANNA SMITH, 12 oak street apartment 4, 10001
    b1, Ben Okafor, 7 River Rd, 20002
    c1, Carla Moreau, "99 Hill Ave", 30003
    c2, Moreau Carla, 99 hill avenue, 30003
    d1, Dmitri Lindqvist, 5 Bay Dr, 40004

    """

    func testWritesEveryRowWithAClusterIDAndScoresLabels() throws {
        let input = try write("people.csv", people)
        let output = folder.appendingPathComponent("out.csv").path
        let run = try runGlossa(["dedup", input, "--fields", "name,street,zip", "--labels", "id", "--output", output])
        XCTAssertEqual(run.status, 0, run.stderr)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "id,name,street,zip,cluster_id")
        XCTAssertEqual(lines[1], "a1,Anna Smith,\"12 Oak St., Apt 4\",10001,0")
        XCTAssertEqual(lines.count, 7)
        let ids = lines.dropFirst().map { $0.split(separator: ",").last! }
        XCTAssertEqual(ids[0], ids[1])
        XCTAssertEqual(ids[3], ids[4])
        XCTAssertEqual(Set(ids).count, 4)
        XCTAssertTrue(run.stdout.contains("rows 6"), run.stdout)
        XCTAssertTrue(run.stdout.contains("clusters 4, duplicate groups 2"), run.stdout)
        XCTAssertTrue(run.stdout.contains("pairwise precision"), run.stdout)
    }

    func testMalformedRowNamesTheLineOrIsSkipped() throws {
        let input = try write("bad.csv", "name,zip\nAnna,1\n\"Ben,2\n")
        let run = try runGlossa(["dedup", input])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("bad.csv:3"), run.stderr)
        XCTAssertFalse(run.stderr.contains("Fatal"), run.stderr)

        let skipping = try write("skip.csv", "name;zip\nAnna;1\nBen;2;3\nCarla;4\n")
        let skipped = try runGlossa(["dedup", skipping, "--skip-bad-rows"])
        XCTAssertEqual(skipped.status, 0, skipped.stderr)
        XCTAssertTrue(skipped.stderr.contains("1 malformed rows skipped, first on line 3"), skipped.stderr)
        XCTAssertEqual(skipped.stdout, "name;zip;cluster_id\nAnna;1;0\nCarla;4;1\n")
    }

    func testLinesFormatAndExplain() throws {
        let input = try write("lines.txt", "12 Main St, Dover\n12 main stret dover\n\n7 Elm Rd, Kent\n")
        let run = try runGlossa(["dedup", input, "--format", "lines", "--explain"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "text,cluster_id\n\"12 Main St, Dover\",0\n12 main stret dover,0\n\"7 Elm Rd, Kent\",1\n")
        XCTAssertTrue(run.stderr.contains("\"12 main stret dover\""), run.stderr)
        XCTAssertTrue(run.stderr.contains("log-odds"), run.stderr)
    }

    func testUserMistakesAreOneLineErrors() throws {
        let input = try write("people.csv", people)
        let unknown = try runGlossa(["dedup", input, "--fields", "name,phone"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("no column named \"phone\""), unknown.stderr)
        let missing = try runGlossa(["dedup", folder.appendingPathComponent("nope.csv").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no such file"), missing.stderr)
        let threshold = try runGlossa(["dedup", input, "--threshold", "1.5"])
        XCTAssertNotEqual(threshold.status, 0)
        for (option, message) in [("--classes=1", "--classes is between 2 and 8"), ("--max-value-group=-1", "--max-value-group is 0")] {
            let bad = try runGlossa(["dedup", input, option])
            XCTAssertNotEqual(bad.status, 0)
            XCTAssertTrue(bad.stderr.contains(message), bad.stderr)
        }
    }

    /// The summary names the pair model's classes and which of them are matches.
    func testSummaryShowsThePairModelsClasses() throws {
        let input = try write("people.csv", people)
        let three = try runGlossa(["dedup", input, "--output", folder.appendingPathComponent("3.csv").path])
        XCTAssertTrue(three.stdout.contains("pair model: 3 classes"), three.stdout)
        let two = try runGlossa(["dedup", input, "--classes", "2", "--output", folder.appendingPathComponent("2.csv").path])
        XCTAssertTrue(two.stdout.contains("pair model: 2 classes"), two.stdout)
    }

    /// Issue 11 item 8: no field to compare is an input error naming the file (exit 1, one line,
    /// no usage block), whatever way it happens.
    func testNoFieldsToCompareIsAOneLineInputError() throws {
        let input = try write("people.csv", people)
        let onlyID = try write("ids.csv", "cluster_id\n1\n2\n")
        for (arguments, expected) in [([input, "--fields", ","], "names no column"), ([input, "--fields", ""], "names no column"),
                                      ([onlyID], "no column to compare"), ([input, "--fields", "name, ,"], nil)] {
            let run = try runGlossa(["dedup"] + arguments)
            guard let expected else { XCTAssertEqual(run.status, 0, run.stderr); continue }
            XCTAssertEqual(run.status, 1, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(arguments[0] + ":") && run.stderr.contains(expected), run.stderr)
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
            XCTAssertFalse(run.stderr.contains("USAGE"), run.stderr)
        }
    }

    /// Issue 11 item 8: an input that already has cluster_id gets it replaced, not a second one,
    /// and the summary says so; naming it in --fields is refused.
    func testAnExistingClusterIDColumnIsReplaced() throws {
        let input = try write("again.csv", "name,cluster_id,street\nAnna Smith,7,12 Oak St\nANNA SMITH,8,12 oak street\nBen Okafor,9,7 River Rd\n")
        let output = folder.appendingPathComponent("again.out.csv").path
        let run = try runGlossa(["dedup", input, "--output", output])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, ["name,cluster_id,street", "Anna Smith,0,12 Oak St", "ANNA SMITH,0,12 oak street", "Ben Okafor,1,7 River Rd"])
        XCTAssertTrue(run.stdout.contains("cluster_id column (column 2) was replaced"), run.stdout)
        let compared = try runGlossa(["dedup", input, "--fields", "name,cluster_id"])
        XCTAssertEqual(compared.status, 1)
        XCTAssertTrue(compared.stderr.contains("cannot be compared"), compared.stderr)
    }

    /// Issue 11 item 1, the reported case: two rows with the same 312 KB street (one a byte longer)
    /// took 11 s; --explain says the field was compared on a bounded prefix. (5 MB: StringSimilarityTests.)
    func testLongSimilarFieldsAreComparedOnABoundedPrefix() throws {
        let street = String(repeating: "Main Street ", count: 26_000)
        let input = try write("long.csv", "name,street\nA,\(street)\nB,\(street)x\n")
        let run = try runGlossa(["dedup", input, "--explain", "--output", folder.appendingPathComponent("long.out.csv").path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("(first 256 bytes compared)"), String(run.stdout.prefix(2000)))
        XCTAssertTrue(run.stdout.contains("… (311999 bytes)"), String(run.stdout.prefix(2000)))
    }

    /// --threads limits the deduplicator's parallel loop; the clusters do not depend on it.
    func testThreadsDoNotChangeTheClusters() throws {
        let input = try write("people.csv", people)
        let one = try runGlossa(["dedup", input, "--threads", "1"]), two = try runGlossa(["dedup", input, "--threads", "2"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(one.stdout, two.stdout)
    }
}

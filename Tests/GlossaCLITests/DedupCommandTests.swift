import Foundation
import XCTest

final class DedupCommandTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("glossa-dedup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
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
    }
}

import Foundation
import TestSupport
import XCTest

/// `glossa dedup` under mpirun against the 1-process oracle: 2 and 3 ranks write byte for byte the
/// file one process writes (the same partition, every row and column in input order), on Febrl
/// dataset 1 and on generated rows whose quoted fields hold line breaks; a malformed row on a
/// rank other than 0 is reported once with the file's line, every rank exits non-zero, and no
/// output file is left; 2 ranks in two network namespaces (`Tests/TwoHosts`) write the same file.
final class DistributedDedupTests: XCTestCase {
    var folder = ""
    let glossa = product("glossa")

    override func setUpWithError() throws {
        _ = try requireMPIRun()
        folder = try TemporaryFolder("mpi-dedup").path
    }

    override func tearDownWithError() throws {
        if !folder.isEmpty { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// 600 rows of 200 people, copies with typos, CRLF rows, and quoted fields with LF, CRLF and "".
    func generatedRows() -> String {
        let given = ["anna", "bert", "carla", "dmitri", "elif", "farid", "greta", "hugo", "ines", "jonas"]
        let streets = ["high street", "mill lane", "station road", "church walk", "park avenue", "kings way"]
        let towns = ["springfield", "riverton", "lakeside", "hillcrest", "oakham"]
        var seed: UInt64 = 11
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        func typo(_ text: String) -> String {
            var characters = Array(text)
            let i = next(characters.count)
            characters[i] = Character(UnicodeScalar(UInt8(97 + next(26))))
            return String(characters)
        }
        var text = "id,name,address,town\r\n"
        for row in 0..<600 {
            let person = next(200)
            let name = given[person % 10] + " " + String(UnicodeScalar(UInt8(97 + person / 10)))
            var address = "\(person % 37 + 1) \(streets[person % 6])"
            if person % 3 == 0 { address += (person % 2 == 0 ? "\n" : "\r\n") + "flat \"\(person % 5)\"" }
            let town = towns[person % 5]
            let fields = [next(3) == 0 ? typo(name) : name, next(4) == 0 ? typo(address) : address, town]
            text += "\(row)," + fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") + "\r\n"
        }
        return text
    }

    /// One process, then 2 and 3 ranks: the same output file.
    func assertRanksMatchOneProcess(_ input: String, _ fields: String, options: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws {
        let oracle = folder + "/one.csv"
        let one = try runProcess(glossa, ["dedup", input, "--fields", fields, "--output", oracle] + options)
        XCTAssertEqual(one.status, 0, one.stderr, file: file, line: line)
        for ranks in [2, 3] {
            let output = folder + "/ranks\(ranks).csv"
            let result = try mpirun(ranks, glossa, ["dedup", input, "--fields", fields, "--output", output] + options)
            XCTAssertEqual(result.status, 0, result.stdout + result.stderr, file: file, line: line)
            XCTAssertTrue(result.stdout.contains("on \(ranks) ranks"), result.stdout, file: file, line: line)
            XCTAssertEqual(FileManager.default.contents(atPath: output), FileManager.default.contents(atPath: oracle),
                           "\(ranks) ranks wrote another file than one process", file: file, line: line)
        }
    }

    func testFebrlOnTwoAndThreeRanksGivesTheOneProcessPartition() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/data/febrl/dataset1.csv").standardized.path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("Febrl data not at \(path)") }
        try assertRanksMatchOneProcess(path, "given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth")
    }

    func testQuotedLineBreaksOnTwoAndThreeRanksGiveTheOneProcessPartition() throws {
        let input = folder + "/quoted.csv"
        try generatedRows().write(toFile: input, atomically: true, encoding: .utf8)
        try assertRanksMatchOneProcess(input, "name,address,town")
        let clusters = Set(try String(contentsOfFile: folder + "/one.csv", encoding: .utf8)
            .split(separator: "\n").compactMap { $0.hasSuffix("\r") ? nil : $0.split(separator: ",").last })
        XCTAssertLessThan(clusters.count, 600, "some rows were merged")
    }

    /// Blocks of at most 4 rows: the top two levels are split across ranks and the deeper ones on
    /// the rank each subtree is sent to (`DistributedBlocking`), over several rounds.
    func testSmallBlocksOnTwoAndThreeRanksGiveTheOneProcessPartition() throws {
        let input = folder + "/small-blocks.csv"
        try generatedRows().write(toFile: input, atomically: true, encoding: .utf8)
        try assertRanksMatchOneProcess(input, "name,address,town", options: ["--block-size", "4"])
    }

    /// Three blocking passes of blocks of at most 4 rows: their top levels split together and
    /// their subtrees finished in the same rounds (a row sent to a rank once a pass).
    func testThreePassesOnTwoAndThreeRanksGiveTheOneProcessPartition() throws {
        let input = folder + "/three-passes.csv"
        try generatedRows().write(toFile: input, atomically: true, encoding: .utf8)
        try assertRanksMatchOneProcess(input, "name,address,town", options: ["--block-size", "4", "--blocking-passes", "3"])
    }

    /// One rank in each of two network namespaces ("hosts" talking over TCP): the 1-process file.
    func testTwoHostsGiveTheOneProcessPartition() throws {
        let input = folder + "/hosts.csv", oracle = folder + "/one.csv", output = folder + "/hosts.out.csv"
        try generatedRows().write(toFile: input, atomically: true, encoding: .utf8)
        let one = try runProcess(glossa, ["dedup", input, "--fields", "name,address,town", "--output", oracle])
        XCTAssertEqual(one.status, 0, one.stderr)
        let result = try runProcess(twoHostsScript, [glossa, "dedup", input, "--fields", "name,address,town", "--output", output], timeout: 120)
        if result.stdout.hasPrefix("skipped:") { throw XCTSkip(result.stdout) }
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("on 2 ranks"), result.stdout)
        XCTAssertEqual(FileManager.default.contents(atPath: output), FileManager.default.contents(atPath: oracle),
                       "two hosts wrote another file than one process")
    }

    /// Every rank writes its own rows into rank 0's temporary file (`writeOnRanks`): the output
    /// folder then holds the one-process file and nothing else; an output folder that does not
    /// exist is reported once and every rank exits non-zero.
    func testRanksWriteOneFileAndLeaveNoTemporary() throws {
        let input = folder + "/write.csv", oracle = folder + "/one.csv", outputs = folder + "/out"
        try generatedRows().write(toFile: input, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: outputs, withIntermediateDirectories: false)
        let one = try runProcess(glossa, ["dedup", input, "--fields", "name,address,town", "--output", oracle])
        XCTAssertEqual(one.status, 0, one.stderr)
        let result = try mpirun(3, glossa, ["dedup", input, "--fields", "name,address,town", "--output", outputs + "/three.csv"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outputs), ["three.csv"])
        XCTAssertEqual(FileManager.default.contents(atPath: outputs + "/three.csv"), FileManager.default.contents(atPath: oracle))
        let missing = try mpirun(2, glossa, ["dedup", input, "--fields", "name,address,town", "--output", folder + "/no-such-folder/two.csv"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertEqual(missing.stderr.components(separatedBy: "no-such-folder does not exist").count, 2, missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/no-such-folder"))
    }

    /// `--rank-times`: rank 0 prints one line per rank, in rank order — "rank 1: time 0.31 s (read
    /// 0.01, …, blocking and candidate pairs 0.02 [0.01 in collectives], …); 0.05 s in collectives in
    /// all" — and no stage's seconds inside collectives exceed the stage's, nor the rank's in all its
    /// time, which are more than none.
    func testRankTimesGiveEveryRanksStagesAndTheirSecondsInCollectives() throws {
        let input = folder + "/times.csv", output = folder + "/times.out.csv"
        try generatedRows().write(toFile: input, atomically: true, encoding: .utf8)
        let result = try mpirun(3, glossa, ["dedup", input, "--fields", "name,address,town", "--rank-times", "--output", output])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        let lines = result.stdout.split(separator: "\n").filter { $0.hasPrefix("rank ") }.map(String.init)
        XCTAssertEqual(lines.map { String($0.prefix(7)) }, ["rank 0:", "rank 1:", "rank 2:"], result.stdout)
        let line = try NSRegularExpression(pattern: #"^rank \d: time ([0-9.]+) s \((.*)\); ([0-9.]+) s in collectives in all$"#)
        let stage = try NSRegularExpression(pattern: #"^([A-Za-z ]+) ([0-9.]+)(?: \[([0-9.]+) in collectives\])?$"#)
        /// Capture group `i` of `m` in `s`, nil when it did not take part.
        func group(_ m: NSTextCheckingResult, _ i: Int, _ s: String) -> String? { Range(m.range(at: i), in: s).map { String(s[$0]) } }
        for text in lines {
            let match = try XCTUnwrap(line.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), text)
            let total = Double(group(match, 1, text)!)!, inAll = Double(group(match, 3, text)!)!
            XCTAssertLessThanOrEqual(inAll, total, text)
            XCTAssertGreaterThan(inAll, 0, "every rank waits at some collective (the first ones connect the ranks): \(text)")
            let stages = group(match, 2, text)!.components(separatedBy: ", ")
            XCTAssertEqual(stages.first?.hasPrefix("read "), true, text)
            XCTAssertEqual(stages.last?.hasPrefix("write "), true, text)
            XCTAssertTrue(stages.contains { $0.hasPrefix("blocking and candidate pairs ") }, text)
            for part in stages {
                let m = try XCTUnwrap(stage.firstMatch(in: part, range: NSRange(part.startIndex..., in: part)), part)
                if let inside = group(m, 3, part) { XCTAssertLessThanOrEqual(Double(inside)!, Double(group(m, 2, part)!)! + 0.01, part) }
            }
        }
    }

    func testAMalformedRowOnTheLastRankIsReportedOnceAndNoFileIsLeft() throws {
        var text = generatedRows()
        text += "600,\"anna b\",\"1 high street\",springfield,extra\r\n601,\"bert b\",\"2 mill lane\",riverton\r\n"
        let input = folder + "/bad.csv", output = folder + "/bad.out.csv"
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let one = try runProcess(glossa, ["dedup", input, "--output", output])
        XCTAssertNotEqual(one.status, 0)
        let oneLine = try XCTUnwrap(one.stderr.split(separator: "\n").first { $0.contains("bad.csv:") })
        XCTAssertTrue(oneLine.hasSuffix("(fix the row, or pass --skip-bad-rows to skip it)"), String(oneLine))
        // The same file, line and fault; not the advice to pass --skip-bad-rows, which mpirun refuses.
        let expected = oneLine.replacingOccurrences(of: "(fix the row, or pass --skip-bad-rows to skip it)",
                                                    with: "(fix the row; --skip-bad-rows works in one process only, not under mpirun)")
        let result = try mpirun(3, glossa, ["dedup", input, "--output", output])
        XCTAssertNotEqual(result.status, 0)
        let reported = result.stderr.split(separator: "\n").filter { $0.contains("bad.csv:") }
        XCTAssertEqual(reported.map(String.init), [expected], result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
    }
}

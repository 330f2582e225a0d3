import Foundation
import XCTest
@testable import TextProcessing

/// Exact equality with subword-nmt 0.3.8 on the corpus of Fixtures/bpe (made by
/// Tools/make_bpe_fixtures.py): the codes learn-bpe wrote, byte for byte, and the text apply-bpe
/// wrote, byte for byte.
final class BPEFixtureTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bpe")
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func learned(merges: Int, minFrequency: Int = 2) throws -> String {
        let counts = try BPEWords.count(files: [Self.path("train.txt")], settings: .whitespace).counts
        return BPELearner(merges: merges, minFrequency: minFrequency).learn(counts: counts).text
    }

    func expected(_ name: String) throws -> String {
        try String(contentsOfFile: Self.path(name), encoding: .utf8)
    }

    func testLearnedCodesAreSubwordNMTs() throws {
        XCTAssertEqual(try learned(merges: 200), try expected("codes.s200.bpe"))
        XCTAssertEqual(try learned(merges: 1500), try expected("codes.s1500.bpe"))
    }

    func testStopsWhereSubwordNMTStops() throws {
        XCTAssertEqual(try learned(merges: 100_000), try expected("codes.all.bpe"), "until no pair occurs twice")
        XCTAssertEqual(try learned(merges: 1500, minFrequency: 40), try expected("codes.f40.bpe"))
    }

    func segmented(_ codes: String, glossaries: [String] = [], vocabulary: Set<String>? = nil) throws -> String {
        let segmenter = BPESegmenter(codes: try BPECodes(contentsOf: Self.path(codes)), glossaries: glossaries, vocabulary: vocabulary)
        let words = BPEWords(settings: .whitespace)
        var out: [UInt8] = []
        try LineReader(path: Self.path("test.txt")).forEachLine { line in
            segmenter.appendSegmentedLine(line, words: words, to: &out)
            out.append(0x0A)
        }
        return String(decoding: out, as: UTF8.self)
    }

    func testSegmentationsAreApplyBPEs() throws {
        for n in [200, 1500] {
            XCTAssertEqual(try segmented("codes.s\(n).bpe"), try expected("test.s\(n).txt"), "\(n) merges")
            XCTAssertEqual(try segmented("codes.s\(n).bpe", glossaries: ["<unk>", "USA"]), try expected("test.s\(n).glossaries.txt"),
                           "\(n) merges, glossaries")
        }
    }

    func testVocabularySplitsAreApplyBPEs() throws {
        for n in [200, 1500] {
            var vocabulary = Set<String>()
            for line in try LineReader.lines(of: Self.path("vocab.s\(n).txt")) {
                let fields = line.split(separator: " ")
                if Int(fields[1])! >= 3 { vocabulary.insert(String(fields[0])) }
            }
            XCTAssertEqual(try segmented("codes.s\(n).bpe", vocabulary: vocabulary), try expected("test.s\(n).vocab.txt"), "\(n) merges")
        }
    }
}

import TestSupport
import XCTest
@testable import TextProcessing

final class VocabularyTests: XCTestCase {
    func counts(_ pairs: [(String, Int)]) -> TokenCounts {
        let counts = TokenCounts()
        for (token, n) in pairs { counts.add(token, times: n) }
        return counts
    }

    func testSpecialsFirstThenCountDescendingThenCodePointOrder() {
        // U+FF5E sorts before U+1F600 by code point (UTF-16 order would put the emoji first).
        let vocabulary = Vocabulary.build(counts: counts([("b", 2), ("é", 2), ("the", 9), ("a", 2), ("Z", 2),
                                                          ("😀", 1), ("\u{FF5E}", 1), ("of", 5)]))
        XCTAssertEqual(vocabulary.tokens, ["<pad>", "<unk>", "<bos>", "<eos>", "the", "of", "Z", "a", "b", "é", "\u{FF5E}", "😀"])
        XCTAssertEqual([vocabulary.padID, vocabulary.unkID, vocabulary.bosID, vocabulary.eosID], [0, 1, 2, 3])
    }

    func testMinCountAndMaxSizeCutOffs() {
        let corpus = counts([("a", 5), ("b", 4), ("c", 3), ("d", 2), ("e", 1)])
        XCTAssertEqual(Vocabulary.build(counts: corpus, minCount: 3).tokens.dropFirst(4), ["a", "b", "c"])
        XCTAssertEqual(Vocabulary.build(counts: corpus, maxSize: 6).tokens, ["<pad>", "<unk>", "<bos>", "<eos>", "a", "b"])
        XCTAssertEqual(Vocabulary.build(counts: corpus, minCount: 2, maxSize: 100).count, 8)
        XCTAssertEqual(Vocabulary.build(counts: corpus, maxSize: 4).count, 4)
        XCTAssertEqual(Vocabulary.build(counts: corpus, maxSize: 1).count, 4, "the specials are never cut")
    }

    func testCorpusSpecialIsNotListedTwiceAndDoesNotTakeASlot() {
        let vocabulary = Vocabulary.build(counts: counts([("<unk>", 50), ("x", 3), ("<eos>", 20), ("y", 1)]), maxSize: 6)
        XCTAssertEqual(vocabulary.tokens, ["<pad>", "<unk>", "<bos>", "<eos>", "x", "y"])
    }

    func testIDsEncodeDecodeAndUnknowns() throws {
        let vocabulary = try Vocabulary(tokens: ["<pad>", "<unk>", "<bos>", "<eos>", "the", "cat"])
        XCTAssertEqual(vocabulary.id("cat"), 5)
        XCTAssertEqual(vocabulary.id("dog"), vocabulary.unkID)
        XCTAssertEqual(vocabulary.encode(["the", "dog", "<eos>"]), [4, 1, 3])
        XCTAssertEqual(vocabulary.decode([4, 5, 3]), ["the", "cat", "<eos>"])
        XCTAssertTrue(vocabulary.contains("the"))
        XCTAssertFalse(vocabulary.contains("dog"))
        XCTAssertEqual(vocabulary.token(2), "<bos>")
    }

    func testSpecialsAreFoundByTextAnywhere() throws {
        let vocabulary = try Vocabulary(tokens: ["the", "<eos>", "a", "<unk>", "<pad>", "<bos>"])
        XCTAssertEqual([vocabulary.padID, vocabulary.unkID, vocabulary.bosID, vocabulary.eosID], [4, 3, 5, 1])
        XCTAssertEqual(vocabulary.id("zzz"), 3)
    }

    func testWriteAndLoadRoundTrip() throws {
        let folder = try TemporaryFolder("vocab")
        defer { folder.remove() }
        let path = folder.file("vocab.txt")
        let vocabulary = Vocabulary.build(counts: counts([("naïve", 3), ("日本", 2), ("x y", 1)]))
        try vocabulary.write(to: path)
        let loaded = try Vocabulary(contentsOf: path)
        XCTAssertEqual(loaded.tokens, vocabulary.tokens)
        XCTAssertEqual(loaded.id("日本"), 5)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "<pad>\n<unk>\n<bos>\n<eos>\nnaïve\n日本\nx y\n")
    }

    func testMalformedVocabulariesThrowNamingTheLine() throws {
        XCTAssertThrowsError(try Vocabulary(tokens: ["<pad>", "<unk>", "<bos>", "<eos>", "a", "a"], source: "v.txt")) {
            XCTAssertEqual("\($0)", "v.txt:6: token \"a\" appears twice (first on line 5)")
        }
        XCTAssertThrowsError(try Vocabulary(tokens: ["<pad>", "<unk>", "<bos>", "a"], source: "v.txt")) {
            XCTAssertTrue("\($0)".hasPrefix("v.txt: the vocabulary lacks the special token <eos>"), "\($0)")
        }
        XCTAssertThrowsError(try Vocabulary(tokens: ["<pad>", "", "<unk>", "<bos>", "<eos>"], source: "v.txt")) {
            XCTAssertTrue("\($0)".hasPrefix("v.txt:2: empty token"), "\($0)")
        }
        XCTAssertThrowsError(try Vocabulary(contentsOf: "/nonexistent/vocab.txt")) {
            XCTAssertEqual("\($0)", "/nonexistent/vocab.txt: cannot open: no such file")
        }
    }

    func testCoverage() {
        let corpus = counts([("a", 5), ("b", 3), ("c", 1), ("d", 1)])
        let vocabulary = Vocabulary.build(counts: corpus, minCount: 2)
        let coverage = vocabulary.coverage(of: corpus)
        XCTAssertEqual(coverage, VocabularyCoverage(types: 4, tokens: 10, typesCovered: 2, outOfVocabularyTokens: 2))
        XCTAssertEqual(coverage.outOfVocabularyRate, 0.2, accuracy: 1e-12)
    }

    func testCountsMergeAndTSV() {
        let first = counts([("a", 2), ("b", 1)])
        first.merge(counts([("b", 2), ("c", 1)]))
        XCTAssertEqual(first.total, 6)
        XCTAssertEqual(first.count(of: "b"), 3)
        XCTAssertEqual(first.tsv(), "b\t3\na\t2\nc\t1\n")
    }

    func testTokenTableGrowsAndFindsEveryKey() {
        let table = TokenTable(capacity: 4)
        for i in 0..<5000 { XCTAssertEqual(table.insert("token\(i)"), i) }
        for i in stride(from: 0, to: 5000, by: 7) { XCTAssertEqual(table.find("token\(i)"), i) }
        XCTAssertEqual(table.find("token5000"), -1)
        XCTAssertEqual(table.insert("token17"), 17)
        XCTAssertEqual(table.count, 5000)
    }

    func testBuildFromFilesOnTwoWorkersEqualsOneWorker() throws {
        let folder = try TemporaryFolder("build")
        defer { folder.remove() }
        let path = folder.file("corpus.txt")
        var text = ""
        for i in 0..<3000 { text += "The word \(i % 97) and Word \(i % 13), again the WORD.\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let one = try Vocabulary.build(files: [path], settings: .icu(), minCount: 2, workers: 1)
        let two = try Vocabulary.build(files: [path], settings: .icu(), minCount: 2, workers: 2)
        XCTAssertEqual(one.vocabulary.tokens, two.vocabulary.tokens)
        XCTAssertEqual(one.counts.tsv(), two.counts.tsv())
        XCTAssertEqual(one.lines, 3000)
        XCTAssertEqual(one.counts.count(of: "word"), 9000)
        XCTAssertEqual(Array(one.vocabulary.tokens[4...7]), ["word", "the", "again", "and"])
    }
}

extension VocabularyTests {
    func testEncodeFilesAsOneStreamWithEOS() throws {
        let folder = try TemporaryFolder("encode")
        defer { folder.remove() }
        let path = folder.file("c.txt")
        try "The cat\n\nsat on the MAT\n".write(toFile: path, atomically: true, encoding: .utf8)
        let vocabulary = try Vocabulary(tokens: ["<pad>", "<unk>", "<bos>", "<eos>", "the", "cat", "sat"])
        XCTAssertEqual(try vocabulary.encode(files: [path], settings: .icu()), [4, 5, 3, 3, 6, 1, 4, 1, 3])
        XCTAssertEqual(try vocabulary.encode(files: [path], settings: .whitespace, appendEOS: false), [1, 5, 6, 1, 4, 1])
        let empty = folder.file("e.txt")
        FileManager.default.createFile(atPath: empty, contents: Data())
        XCTAssertThrowsError(try vocabulary.encode(files: [empty], settings: .icu()))
    }
}

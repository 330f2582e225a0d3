import Foundation
import NeuralCore
import TextProcessing
import TestSupport
import XCTest
@testable import Translation

/// A subword translator: codes learned on the training tokens kept in the model directory and named
/// by config.json, pieces for every input (no `<unk>` for a word of known characters), output joined.
final class SubwordTranslatorTests: XCTestCase {
    let sources = [["the", "lower", "house"], ["the", "newest", "house"], ["a", "low", "wall"]]
    let targets = [["das", "untere", "haus"], ["das", "neueste", "haus"], ["eine", "niedrige", "wand"]]

    func makeModel(joint: Bool) -> TranslationModel {
        let sourceCodes = ParallelCorpus.learnCodes(joint ? [sources, targets] : [sources], merges: 12, minFrequency: 1)
        let targetCodes = joint ? sourceCodes : ParallelCorpus.learnCodes([targets], merges: 12, minFrequency: 1)
        let sourceVocabulary = ParallelCorpus.subwordVocabulary(sources, segmenter: BPESegmenter(codes: sourceCodes), minCount: 2, maxSize: 8)
        let targetVocabulary = ParallelCorpus.subwordVocabulary(targets, segmenter: BPESegmenter(codes: targetCodes), minCount: 2, maxSize: 8)
        let architecture = TranslatorArchitecture(cell: .gru, embeddingSize: 4, hiddenSize: 4, numLayers: 1,
                                                  sourceVocabSize: sourceVocabulary.count, targetVocabSize: targetVocabulary.count)
        let config = TranslatorConfig(architecture: architecture, sourceTokenizer: .whitespace, targetTokenizer: .whitespace,
                                      sourceBPECodes: joint ? "codes.bpe" : "source.codes.bpe",
                                      targetBPECodes: joint ? "codes.bpe" : "target.codes.bpe")
        return TranslationModel(config: config, translator: Translator(architecture, seed: 1), sourceVocabulary: sourceVocabulary,
                                targetVocabulary: targetVocabulary, sourceCodes: sourceCodes, targetCodes: targetCodes)
    }

    func testJointCodesAreTheLearnersOnBothSides() {
        let counts = TokenCounts()
        for sentence in sources + targets { for token in sentence { counts.add(token) } }
        XCTAssertEqual(ParallelCorpus.learnCodes([sources, targets], merges: 12, minFrequency: 1),
                       BPELearner(merges: 12, minFrequency: 1).learn(counts: counts))
    }

    func testUnseenWordsOfKnownCharactersHaveNoUnknown() {
        let model = makeModel(joint: false)
        let pieces = model.sourceTokens("the wholesale lowest thew")
        XCTAssertGreaterThan(pieces.count, 4)
        XCTAssertFalse(model.sourceVocabulary.encode(pieces).contains(model.sourceVocabulary.unkID), "\(pieces) \(model.sourceVocabulary.tokens)")
        XCTAssertEqual(BPEPieces.words(pieces), ["the", "wholesale", "lowest", "thew"])
        XCTAssertEqual(model.text(["das", "un@@", "ter@@", "e", "haus", "."]), "das untere haus.")
    }

    func testCodesLiveInTheModelDirectory() throws {
        for joint in [true, false] {
            let temporary = try TemporaryFolder("subword")
            defer { temporary.remove() }
            let folder = temporary.path
            let model = makeModel(joint: joint)
            try model.save(to: folder)
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/config.json"))) as! [String: Any]
            XCTAssertEqual(json["source_bpe_codes"] as? String, joint ? "codes.bpe" : "source.codes.bpe")
            XCTAssertEqual(json["target_bpe_codes"] as? String, joint ? "codes.bpe" : "target.codes.bpe")
            let loaded = try TranslationModel.load(from: folder)
            XCTAssertEqual(loaded.config, model.config)
            XCTAssertEqual(loaded.sourceSegmenter?.codes, model.sourceSegmenter?.codes)
            XCTAssertEqual(loaded.targetSegmenter?.codes, model.targetSegmenter?.codes)
            XCTAssertEqual(loaded.sourceTokens("the lowest wall"), model.sourceTokens("the lowest wall"))
            let result = loaded.translate(["the lowest wall"])[0]
            XCTAssertFalse(result.text.contains("@@"), result.text)
            XCTAssertEqual(loaded.translator.store.parameters.first?.name, "encoder.embedding.weight", "tensor names unchanged")
            // A codes file that is not one is an error naming it.
            try "t h\n".write(toFile: folder + "/" + (joint ? "codes.bpe" : "target.codes.bpe"), atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try TranslationModel.load(from: folder)) { error in
                XCTAssertTrue("\(error)".contains("codes.bpe:1: not a BPE codes file"), "\(error)")
            }
        }
    }
}

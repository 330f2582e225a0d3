import Foundation
import NeuralCore
import TextProcessing

/// A translator with everything it needs to turn text into text: the network, both vocabularies and
/// both tokenizers. On disk a directory: `config.json`, `model.safetensors`, `source.vocab.txt`,
/// `target.vocab.txt` (docs/DESIGN.md, "Checkpoint contract"), and for a subword model the codes
/// files config.json names.
public final class TranslationModel {
    public let config: TranslatorConfig
    public let translator: Translator
    public let sourceVocabulary: Vocabulary
    public let targetVocabulary: Vocabulary
    public let sourceTokenizer: Tokenizer
    /// Cut source and target tokens into subword pieces (nil: the side reads words). Pieces a
    /// vocabulary lacks are split further, so a word of known characters never becomes `<unk>`.
    public let sourceSegmenter: BPESegmenter?
    public let targetSegmenter: BPESegmenter?

    /// A model; `sourceCodes` / `targetCodes` (subword models) must come with the file names
    /// `config.sourceBPECodes` / `targetBPECodes` they are saved under.
    public init(config: TranslatorConfig, translator: Translator, sourceVocabulary: Vocabulary, targetVocabulary: Vocabulary,
                sourceCodes: BPECodes? = nil, targetCodes: BPECodes? = nil) {
        precondition((sourceCodes == nil) == (config.sourceBPECodes == nil) && (targetCodes == nil) == (config.targetBPECodes == nil),
                     "codes and config.json's bpe file names go together")
        self.config = config
        self.translator = translator
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
        sourceTokenizer = Tokenizer(settings: config.sourceTokenizer)
        sourceSegmenter = sourceCodes.map { BPESegmenter(codes: $0, settings: config.sourceTokenizer, vocabulary: sourceVocabulary) }
        targetSegmenter = targetCodes.map { BPESegmenter(codes: $0, settings: config.targetTokenizer, vocabulary: targetVocabulary) }
    }

    /// Source tokens as the network reads them: subword pieces with source codes, else the tokens.
    public func sourcePieces(_ tokens: [String]) -> [String] { sourceSegmenter.map { $0.pieces(ofTokens: tokens) } ?? tokens }

    /// Target tokens as the network writes them: subword pieces with target codes, else the tokens.
    public func targetPieces(_ tokens: [String]) -> [String] { targetSegmenter.map { $0.pieces(ofTokens: tokens) } ?? tokens }

    /// The source line as the network reads it: tokenized, then cut into pieces.
    public func sourceTokens(_ line: String) -> [String] { sourcePieces(sourceTokenizer.tokens(line)) }

    /// Output tokens as text: pieces joined into words (subword targets), then `Detokenizer.join`.
    public func text(_ targetTokens: [String]) -> String {
        Detokenizer.join(targetSegmenter == nil ? targetTokens : BPEPieces.words(targetTokens, separator: targetSegmenter!.separator))
    }

    /// The special ids of the target vocabulary (which the decoder uses).
    public var targetSpecials: SpecialTokens {
        SpecialTokens(pad: targetVocabulary.padID, unk: targetVocabulary.unkID, bos: targetVocabulary.bosID, eos: targetVocabulary.eosID)
    }

    /// Loads a model directory. Every problem is an error naming the file: a missing file, another
    /// model type, vocabulary sizes that disagree with config.json, missing or misshapen tensors.
    public static func load(from directory: String) throws -> TranslationModel {
        let configPath = directory + "/config.json"
        let config = try JSONFile.readConfig(TranslatorConfig.self, of: directory, modelType: TranslatorConfig.modelType,
                                             kind: "translator", writer: "glossa translate train")
        do { try config.architecture.validate() } catch { throw InputError("\(error)", file: configPath) }
        let sourcePath = directory + "/source.vocab.txt", targetPath = directory + "/target.vocab.txt"
        let source = try Vocabulary(contentsOf: sourcePath)
        let target = try Vocabulary(contentsOf: targetPath)
        // The vocabulary file is blamed: config.json and the weights agree with each other (checked below).
        guard source.count == config.architecture.sourceVocabSize else {
            throw InputError("has \(source.count) tokens but config.json says source_vocab_size \(config.architecture.sourceVocabSize); it is not this model's source vocabulary", file: sourcePath)
        }
        guard target.count == config.architecture.targetVocabSize else {
            throw InputError("has \(target.count) tokens but config.json says target_vocab_size \(config.architecture.targetVocabSize); it is not this model's target vocabulary", file: targetPath)
        }
        let (sourceCodes, targetCodes) = try codes(of: config, in: directory)
        let translator = Translator(config.architecture)
        try translator.store.load(from: directory + "/model.safetensors")
        return TranslationModel(config: config, translator: translator, sourceVocabulary: source, targetVocabulary: target,
                                sourceCodes: sourceCodes, targetCodes: targetCodes)
    }

    /// Writes the model directory (creating it), each file atomically.
    public func save(to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputError("cannot create the folder: \(error.localizedDescription)", file: directory)
        }
        try JSONFile.write(config, to: directory + "/config.json")
        try translator.store.save(to: directory + "/model.safetensors", metadata: ["format": "pt"])
        try sourceVocabulary.write(to: directory + "/source.vocab.txt")
        try targetVocabulary.write(to: directory + "/target.vocab.txt")
        try writeCodes(to: directory)
    }

    /// Writes the codes files config.json names (subword models) into `directory`.
    public func writeCodes(to directory: String) throws {
        if let name = config.sourceBPECodes, let codes = sourceSegmenter?.codes { try codes.write(to: directory + "/" + name) }
        if let name = config.targetBPECodes, let codes = targetSegmenter?.codes { try codes.write(to: directory + "/" + name) }
    }

    /// Reads the codes files `config` names from `directory` (nil for a side of words).
    public static func codes(of config: TranslatorConfig, in directory: String) throws -> (source: BPECodes?, target: BPECodes?) {
        (try config.sourceBPECodes.map { try BPECodes(contentsOf: directory + "/" + $0) },
         try config.targetBPECodes.map { try BPECodes(contentsOf: directory + "/" + $0) })
    }
}

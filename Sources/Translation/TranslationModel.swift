import Foundation
import NeuralCore
import TextProcessing

/// A translator with everything it needs to turn text into text: the network, both vocabularies and
/// both tokenizers. On disk a directory: `config.json`, `model.safetensors`, `source.vocab.txt`,
/// `target.vocab.txt` (docs/DESIGN.md, "Checkpoint contract").
public final class TranslationModel {
    public let config: TranslatorConfig
    public let translator: Translator
    public let sourceVocabulary: Vocabulary
    public let targetVocabulary: Vocabulary
    public let sourceTokenizer: Tokenizer

    public init(config: TranslatorConfig, translator: Translator, sourceVocabulary: Vocabulary, targetVocabulary: Vocabulary) {
        self.config = config
        self.translator = translator
        self.sourceVocabulary = sourceVocabulary
        self.targetVocabulary = targetVocabulary
        sourceTokenizer = Tokenizer(settings: config.sourceTokenizer)
    }

    /// The special ids of the target vocabulary (which the decoder uses).
    public var targetSpecials: SpecialTokens {
        SpecialTokens(pad: targetVocabulary.padID, unk: targetVocabulary.unkID, bos: targetVocabulary.bosID, eos: targetVocabulary.eosID)
    }

    /// Loads a model directory. Every problem is an error naming the file: a missing file, another
    /// model type, vocabulary sizes that disagree with config.json, missing or misshapen tensors.
    public static func load(from directory: String) throws -> TranslationModel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError("no model directory here; give the folder `glossa translate train --output` wrote", file: directory)
        }
        let configPath = directory + "/config.json"
        // The kind first, so that another model's directory is named as such rather than as a broken config.
        struct ModelType: Decodable { var model_type: String }
        let json = try JSONFile.contents(of: configPath)
        let kind = try JSONFile.decode(ModelType.self, from: json, file: configPath).model_type
        guard kind == TranslatorConfig.modelType else {
            throw InputError("model_type is \"\(kind)\", not \"\(TranslatorConfig.modelType)\": this is not a translator", file: configPath)
        }
        let config = try JSONFile.decode(TranslatorConfig.self, from: json, file: configPath)
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
        let translator = Translator(config.architecture)
        try translator.store.load(from: directory + "/model.safetensors")
        return TranslationModel(config: config, translator: translator, sourceVocabulary: source, targetVocabulary: target)
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
    }
}

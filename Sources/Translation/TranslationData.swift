import NeuralCore
import TextProcessing

/// The files a translator trains on: line-aligned source and target sentences, and optionally a
/// validation pair of files (its targets are the BLEU references).
public struct TranslationFiles: Codable, Equatable, Sendable {
    public var source: String
    public var target: String
    public var validSource: String?
    public var validTarget: String?

    public init(source: String, target: String, validSource: String? = nil, validTarget: String? = nil) {
        self.source = source
        self.target = target
        self.validSource = validSource
        self.validTarget = validTarget
    }

    enum CodingKeys: String, CodingKey {
        case source, target
        case validSource = "valid_source", validTarget = "valid_target"
    }
}

/// A translator's training data, prepared: the corpora read and tokenized, encoded with the
/// vocabularies, filtered by length (`--max-length`); validation pairs with their raw references.
public struct TranslationData {
    public var pairs: [(source: [Int32], target: [Int32])]
    /// Pairs left out: a side empty or longer than `maxLength` tokens.
    public var skipped: Int
    public var validPairs: [(source: [Int32], target: [Int32])] = []
    public var validReferences: [String] = []

    /// Data already encoded (tests, programs that prepare their own pairs).
    public init(pairs: [(source: [Int32], target: [Int32])], validPairs: [(source: [Int32], target: [Int32])] = [],
                validReferences: [String] = []) {
        self.pairs = pairs
        skipped = 0
        self.validPairs = validPairs
        self.validReferences = validReferences
    }

    /// Vocabularies built from the training corpus by `options` (min counts and max sizes per side).
    public static func vocabularies(_ corpus: ParallelCorpus, options: TranslationTrainingOptions) -> (source: Vocabulary, target: Vocabulary) {
        (ParallelCorpus.vocabulary(corpus.sources, minCount: options.sourceMinCount, maxSize: options.sourceMaxSize),
         ParallelCorpus.vocabulary(corpus.targets, minCount: options.targetMinCount, maxSize: options.targetMaxSize))
    }

    /// Reads the training corpus (tokenized with `options.tokenizer`).
    public static func readCorpus(_ files: TranslationFiles, options: TranslationTrainingOptions) throws -> ParallelCorpus {
        let tokenizer = Tokenizer(settings: options.tokenizer)
        return try ParallelCorpus(sourcePath: files.source, targetPath: files.target, sourceTokenizer: tokenizer, targetTokenizer: tokenizer)
    }

    /// Encodes `corpus` and reads the validation files with the vocabularies. Throws `InputError`
    /// naming the file when no pair survives the length filter.
    public init(corpus: ParallelCorpus, files: TranslationFiles, options: TranslationTrainingOptions,
                source: Vocabulary, target: Vocabulary) throws {
        (pairs, _, skipped) = corpus.encoded(source: source, target: target, maxLength: options.maxLength)
        guard !pairs.isEmpty else {
            throw InputError("no sentence pair has both sides non-empty and at most \(options.maxLength) tokens (--max-length)", file: files.source)
        }
        if let validSource = files.validSource, let validTarget = files.validTarget {
            let tokenizer = Tokenizer(settings: options.tokenizer)
            let valid = try ParallelCorpus(sourcePath: validSource, targetPath: validTarget, sourceTokenizer: tokenizer, targetTokenizer: tokenizer)
            for i in 0..<valid.count where !valid.sources[i].isEmpty {
                validPairs.append((source.encode(valid.sources[i]), target.encode(valid.targets[i])))
                validReferences.append(valid.rawTargets[i])
            }
        }
    }
}

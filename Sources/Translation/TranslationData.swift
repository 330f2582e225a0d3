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

    /// A fingerprint of the encoded training pairs, to refuse resuming on other data.
    var fingerprint: String { dataFingerprint(pairs.map { $0.source + [-1] + $0.target }) }

    /// Byte-pair encoding codes learned on the training tokens as `options` ask: joint (both sides'
    /// tokens, the same codes for both) or per side; nil for a side of words.
    public static func codes(_ corpus: ParallelCorpus, options: TranslationTrainingOptions) -> (source: BPECodes?, target: BPECodes?) {
        if let merges = options.bpeMerges {
            let joint = ParallelCorpus.learnCodes([corpus.sources, corpus.targets], merges: merges)
            return (joint, joint)
        }
        return (options.sourceBPEMerges.map { ParallelCorpus.learnCodes([corpus.sources], merges: $0) },
                options.targetBPEMerges.map { ParallelCorpus.learnCodes([corpus.targets], merges: $0) })
    }

    /// Vocabularies built from the training corpus by `options` (min counts and max sizes per side);
    /// a side with codes gets a subword vocabulary that keeps every character of its text.
    public static func vocabularies(_ corpus: ParallelCorpus, options: TranslationTrainingOptions,
                                    codes: (source: BPECodes?, target: BPECodes?) = (nil, nil)) -> (source: Vocabulary, target: Vocabulary) {
        func vocabulary(_ sentences: [[String]], _ codes: BPECodes?, minCount: Int, maxSize: Int?) -> Vocabulary {
            guard let codes else { return ParallelCorpus.vocabulary(sentences, minCount: minCount, maxSize: maxSize) }
            return ParallelCorpus.subwordVocabulary(sentences, segmenter: BPESegmenter(codes: codes, settings: options.tokenizer),
                                                    minCount: minCount, maxSize: maxSize)
        }
        return (vocabulary(corpus.sources, codes.source, minCount: options.sourceMinCount, maxSize: options.sourceMaxSize),
                vocabulary(corpus.targets, codes.target, minCount: options.targetMinCount, maxSize: options.targetMaxSize))
    }

    /// Reads the training corpus (tokenized with `options.tokenizer`).
    public static func readCorpus(_ files: TranslationFiles, options: TranslationTrainingOptions) throws -> ParallelCorpus {
        let tokenizer = Tokenizer(settings: options.tokenizer)
        return try ParallelCorpus(sourcePath: files.source, targetPath: files.target, sourceTokenizer: tokenizer, targetTokenizer: tokenizer)
    }

    /// Encodes `corpus` and reads the validation files with the vocabularies, each side's tokens
    /// first mapped by `sourcePieces` / `targetPieces` (a subword model's `sourcePieces`). Throws
    /// `InputError` naming the file when no pair survives the length filter.
    public init(corpus: ParallelCorpus, files: TranslationFiles, options: TranslationTrainingOptions,
                source: Vocabulary, target: Vocabulary,
                sourcePieces: ([String]) -> [String] = { $0 }, targetPieces: ([String]) -> [String] = { $0 }) throws {
        (pairs, _, skipped) = corpus.mapped(source: sourcePieces, target: targetPieces)
            .encoded(source: source, target: target, maxLength: options.maxLength)
        guard !pairs.isEmpty else {
            throw InputError("no sentence pair has both sides non-empty and at most \(options.maxLength) tokens (--max-length)", file: files.source)
        }
        if let validSource = files.validSource, let validTarget = files.validTarget {
            let tokenizer = Tokenizer(settings: options.tokenizer)
            let valid = try ParallelCorpus(sourcePath: validSource, targetPath: validTarget, sourceTokenizer: tokenizer, targetTokenizer: tokenizer)
            for i in 0..<valid.count where !valid.sources[i].isEmpty {
                validPairs.append((source.encode(sourcePieces(valid.sources[i])), target.encode(targetPieces(valid.targets[i]))))
                validReferences.append(valid.rawTargets[i])
            }
        }
    }
}

import Deduplication
import Foundation
import LanguageModel
import NeuralCore
import TextProcessing
import Translation

/// The fuzz targets: each takes arbitrary bytes, must return on every input (a thrown `InputError`
/// is the right answer to bad bytes) and stops the process on a bug: a crash,
/// a trap, another kind of error, or a broken promise such as the ASCII fast path and ICU
/// disagreeing. libFuzzer (`make fuzz`) or the replay driver (`glossa-fuzz TARGET FILES`) runs them.
enum FuzzTarget: String, CaseIterable {
    /// `CSVParser`: strict, skipping bad rows, and one-address-per-line.
    case csv
    /// The tokenizer: the ASCII fast path gives ICU's tokens; no token is empty or holds white space.
    case tokenizer
    /// The model-file loaders: first byte 0 safetensors bytes, 1 a language model's config.json,
    /// 2 a translator's config.json.
    case modelFile = "model-file"
    /// `Vocabulary(contentsOf:)`: a vocab.txt file.
    case vocabulary
    /// `BPECodes(contentsOf:)`: a codes file; its merges then segment the words they spell, and the
    /// pieces (separators removed) must give the word back.
    case bpeCodes = "bpe-codes"

    func run(_ bytes: [UInt8]) {
        switch self {
        case .csv: FuzzTarget.csv(bytes)
        case .tokenizer: FuzzTarget.tokenizer(bytes)
        case .modelFile: FuzzTarget.modelFile(bytes)
        case .vocabulary: FuzzTarget.vocabulary(bytes)
        case .bpeCodes: FuzzTarget.bpeCodes(bytes)
        }
    }

    /// Stops the process when `body` throws anything but a user-facing error.
    static func expectInputErrors(_ what: String, _ body: () throws -> Void) {
        do { try body() } catch is InputError {} catch {
            fatalError("\(what) threw \(type(of: error)) instead of a one-line input error: \(error)")
        }
    }

    // MARK: Targets

    static func csv(_ bytes: [UInt8]) {
        for skipBadRows in [false, true] {
            expectInputErrors("CSVParser.parse") {
                let table = try CSVParser(skipBadRows: skipBadRows).parse(bytes, file: "fuzz.csv")
                precondition(table.rows.count == table.lines.count, "a line number for every row")
                for row in table.rows { precondition(row.count == table.header.count, "every row has the header's width") }
            }
        }
        expectInputErrors("CSVParser.parseLines") { _ = try CSVParser.parseLines(bytes, file: "fuzz.txt") }
    }

    /// Each setting's tokenizer with the fast path on and off, made once.
    nonisolated(unsafe) static let tokenizers: [(fast: Tokenizer, icu: Tokenizer)] = [
        TokenizerSettings.icu(), .icu(keepPunctuation: true), .icu(casefold: false, keepPunctuation: true),
        .icu(protectedTokens: ["<num>", "@@"]),
    ].map { settings in
        let icu = Tokenizer(settings: settings)
        icu.setASCIIFastPathForTesting(false)
        return (Tokenizer(settings: settings), icu)
    }
    nonisolated(unsafe) static let whitespace = Tokenizer(settings: .whitespace)

    static func tokenizer(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)  // invalid UTF-8 becomes U+FFFD, as --lenient does
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }).prefix(8) {
            let line = String(line)
            for (fast, icu) in tokenizers {
                let tokens = fast.tokens(line)
                let expected = icu.tokens(line)
                if tokens != expected {
                    fatalError("ASCII fast path \(tokens.debugDescription) != ICU \(expected.debugDescription) on \(line.debugDescription) (\(fast.settings))")
                }
                checkTokens(tokens, line)
            }
            checkTokens(whitespace.tokens(line), line)
        }
    }

    static func checkTokens(_ tokens: [String], _ line: String) {
        for token in tokens where token.isEmpty || token.unicodeScalars.contains(where: \.properties.isWhitespace) {
            fatalError("token \(token.debugDescription) from \(line.debugDescription) is empty or holds white space")
        }
    }

    static func modelFile(_ bytes: [UInt8]) {
        guard let kind = bytes.first else { return }
        let rest = Data(bytes.dropFirst())
        switch kind % 3 {
        case 0:
            expectInputErrors("SafeTensors.decode") { _ = try SafeTensors.decode(rest, file: "fuzz.safetensors") }
        case 1:
            let folder = scratchFolder()
            try? rest.write(to: URL(fileURLWithPath: folder + "/config.json"))
            expectInputErrors("RNNLanguageModel.readConfig") { _ = try RNNLanguageModel.readConfig(from: folder) }
        default:
            expectInputErrors("TranslatorConfig") {
                let config = try JSONFile.decode(TranslatorConfig.self, from: rest, file: "config.json")
                do { try config.architecture.validate() } catch { throw InputError("\(error)") }
            }
        }
    }

    static func vocabulary(_ bytes: [UInt8]) {
        let path = scratchFolder() + "/vocab.txt"
        try? Data(bytes).write(to: URL(fileURLWithPath: path))
        expectInputErrors("Vocabulary(contentsOf:)") {
            let vocabulary = try Vocabulary(contentsOf: path)
            for (index, token) in vocabulary.tokens.enumerated() where vocabulary.id(token) != Int32(index) {
                fatalError("token \(token.debugDescription) on line \(index + 1) looks up as \(vocabulary.id(token))")
            }
        }
    }

    static func bpeCodes(_ bytes: [UInt8]) {
        let path = scratchFolder() + "/codes.bpe"
        try? Data(bytes).write(to: URL(fileURLWithPath: path))
        expectInputErrors("BPECodes(contentsOf:)") {
            let codes = try BPECodes(contentsOf: path)
            let segmenter = BPESegmenter(codes: codes)
            for merge in codes.merges.prefix(32) {
                let word = (merge.left + merge.right).replacingOccurrences(of: BPECodes.endOfWord, with: "")
                guard !word.isEmpty, !word.unicodeScalars.contains(where: \.properties.isWhitespace) else { continue }
                let pieces = segmenter.pieces(word)
                let joined = pieces.map { $0.hasSuffix(segmenter.separator) ? String($0.dropLast(segmenter.separator.count)) : $0 }.joined()
                if joined != word { fatalError("BPE pieces \(pieces.debugDescription) do not spell \(word.debugDescription)") }
            }
        }
    }

    /// A folder of this process for the targets that read files.
    static func scratchFolder() -> String {
        let folder = NSTemporaryDirectory() + "glossa-fuzz-\(getpid())"
        if !FileManager.default.fileExists(atPath: folder) {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        return folder
    }
}

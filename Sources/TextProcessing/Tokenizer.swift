import CICU

/// Turns a line of text into tokens, as `TokenizerSettings` say. Not thread-safe (it owns an ICU
/// iterator and buffers): give each thread its own, for instance with `copy()`.
///
///     let tokenizer = Tokenizer(settings: .icu())
///     tokenizer.tokens("Don't stop: 3.5 km!")   // ["don't", "stop", "3.5", "km"]
public final class Tokenizer {
    public let settings: TokenizerSettings
    private let handle: OpaquePointer

    public init(settings: TokenizerSettings = .icu()) {
        self.settings = settings
        var status: Int32 = 0
        let kind = settings.kind == .icu ? Int32(GLOSSA_TOKENIZE_ICU) : Int32(GLOSSA_TOKENIZE_WHITESPACE)
        let form = settings.normalization?.code ?? -1
        guard let handle = glossa_tokenizer_open(kind, form, settings.keepPunctuation ? 1 : 0, &status) else {
            preconditionFailure("cannot open the ICU word break iterator: \(ICU.errorName(status)); is libicu installed?")
        }
        self.handle = handle
        if settings.kind == .icu {
            var protected = TokenizerSettings.specialTokens
            for token in settings.protectedTokens where !protected.contains(token) { protected.append(token) }
            for token in protected {
                let bytes = Array(token.utf8)
                bytes.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { glossa_tokenizer_protect(handle, $0.baseAddress, Int32($0.count)) }
                }
            }
        }
    }

    deinit { glossa_tokenizer_close(handle) }

    /// A tokenizer with the same settings, for another thread.
    public func copy() -> Tokenizer { Tokenizer(settings: settings) }

    /// The tokens of `line`.
    public func tokens(_ line: String) -> [String] {
        var result: [String] = []
        forEachToken(in: line) { result.append(String(decoding: $0, as: UTF8.self)) }
        return result
    }

    /// The ids of `line`'s tokens in `vocabulary` (`<unk>` for tokens it lacks).
    public func ids(_ line: String, vocabulary: Vocabulary) -> [Int32] {
        var result: [Int32] = []
        var line = line
        line.withUTF8 { appendIDs(UnsafeRawBufferPointer($0), vocabulary: vocabulary, to: &result) }
        return result
    }

    /// Appends the ids of the tokens of UTF-8 `line` to `ids` without making a `String` per token.
    @inline(__always)
    public func appendIDs(_ line: UnsafeRawBufferPointer, vocabulary: Vocabulary, to ids: inout [Int32]) {
        forEachToken(inUTF8: line) { ids.append(vocabulary.id(utf8: $0)) }
    }

    /// Calls `body` with each token of `line`.
    public func forEachToken(in line: String, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var line = line
        try line.withUTF8 { try forEachToken(inUTF8: UnsafeRawBufferPointer($0), body) }
    }

    /// Calls `body` with the UTF-8 bytes of each token of the valid UTF-8 `line` (one line, no
    /// newline). The bytes are valid only during the call.
    @inline(__always)
    public func forEachToken(inUTF8 line: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var bytes: UnsafePointer<UInt8>?
        var ends: UnsafePointer<Int32>?
        var status: Int32 = 0
        let empty: UInt8 = 0
        let count = withUnsafePointer(to: empty) { fallback in
            glossa_tokenize_utf8(handle, line.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? fallback,
                                 Int32(line.count), &bytes, &ends, &status)
        }
        precondition(count >= 0, "ICU tokenization failed: \(ICU.errorName(status))")
        guard count > 0, let bytes, let ends else { return }
        var start = 0
        for i in 0..<Int(count) {
            let end = Int(ends[i])
            try body(UnsafeRawBufferPointer(start: bytes + start, count: end - start))
            start = end
        }
    }

    /// Switches the ASCII fast path off (or on) so tests can compare it with ICU itself.
    public func setASCIIFastPathForTesting(_ enabled: Bool) { glossa_tokenizer_set_ascii_fast_path(handle, enabled ? 1 : 0) }
}

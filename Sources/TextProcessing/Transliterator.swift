import CICU
import Foundation

/// An ICU transliterator, such as `Transliterator("Any-Latin; Latin-ASCII")`, which turns
/// "Zürich, Straße 5" into "Zurich, Strasse 5" and "Москва" into "Moskva". Safe to share between
/// threads (calls are serialized); open one per thread for throughput.
public final class Transliterator: @unchecked Sendable {
    /// The ICU transliterator id it was opened with.
    public let id: String
    private let handle: OpaquePointer
    private let lock = NSLock()

    /// Opens the transliterator with ICU id `id` (see ICU's transform ids, e.g. "Latin-ASCII",
    /// "Any-Latin; Latin-ASCII; Lower"). Throws `InputError` when ICU does not know the id.
    public init(_ id: String) throws {
        let units = Array(id.utf16)
        var status: Int32 = 0
        guard let handle = glossa_transliterator_open(units, Int32(units.count), &status) else {
            throw InputError("unknown ICU transliterator \"\(id)\" (\(ICU.errorName(status)))")
        }
        self.id = id
        self.handle = handle
    }

    deinit { glossa_transliterator_close(handle) }

    /// `text` transliterated.
    public func transliterate(_ text: String) -> String {
        let source = Array(text.utf16)
        lock.lock()
        defer { lock.unlock() }
        var length: Int32 = 0
        var status: Int32 = 0
        guard let result = glossa_transliterate_utf16(handle, source, Int32(source.count), &length, &status) else {
            preconditionFailure("ICU transliteration failed: \(ICU.errorName(status))")
        }
        return String(decoding: UnsafeBufferPointer(start: result, count: Int(length)), as: UTF16.self)
    }
}

import Foundation

/// `config.json` and other small JSON files: Codable values written with sorted keys (temporary
/// file + rename) and read with errors that name the file.
public enum JSONFile {
    /// Encodes `value` as pretty-printed JSON with sorted keys and writes it atomically.
    public static func write<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        try AtomicFile.write(data, to: path)
    }

    /// Reads and decodes `path`; a missing file or a wrong key becomes a `CheckpointError`.
    public static func read<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
        try decode(type, from: contents(of: path), file: path)
    }

    /// The bytes of `path`, to decode more than one view of a file with `decode(_:from:file:)`.
    public static func contents(of path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointError("cannot read the file (missing or unreadable)", file: path)
        }
        return data
    }

    /// Decodes the bytes of `path`; a wrong key or type becomes a `CheckpointError` naming it.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, file path: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw CheckpointError("missing key \"\(key.stringValue)\"", file: path)
        } catch let DecodingError.typeMismatch(_, context) {
            throw CheckpointError("wrong type at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)", file: path)
        } catch let DecodingError.valueNotFound(_, context) {
            throw CheckpointError("missing value at \(context.codingPath.map(\.stringValue).joined(separator: "."))", file: path)
        } catch {
            throw CheckpointError("not valid JSON: \(error.localizedDescription)", file: path)
        }
    }
}

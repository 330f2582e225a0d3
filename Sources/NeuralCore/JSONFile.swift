import Foundation

/// `config.json` and other small JSON files: Codable values written with sorted keys (temporary
/// file + rename) and read with errors that name the file (`InputError`).
public enum JSONFile {
    /// Encodes `value` as pretty-printed JSON with sorted keys and writes it atomically.
    public static func write<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        try AtomicFile.write(data, to: path)
    }

    /// Reads and decodes `path`; a missing file or a wrong key becomes an `InputError` naming it.
    public static func read<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("cannot read the file (missing or unreadable)", file: path)
        }
        return try decode(type, from: data, file: path)
    }

    /// The `config.json` of the model directory `folder`, whose `model_type` must be `modelType`
    /// (another is "not a `kind`"); `writer` is the command that writes such directories.
    public static func readConfig<T: Decodable>(_ type: T.Type, of folder: String, modelType: String, kind: String,
                                                writer: String) throws -> T {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError("no such model directory; give the folder `\(writer) --output` wrote", file: folder)
        }
        let path = folder + "/config.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("missing config.json; is this a model directory written by `\(writer)`?", file: path)
        }
        // The kind first, so that another model's directory is named as such rather than as a broken config.
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let found = object["model_type"] as? String, found != modelType {
            throw InputError("model_type is \"\(found)\", not \"\(modelType)\": this is not a \(kind)", file: path)
        }
        return try decode(type, from: data, file: path)
    }

    /// Decodes the bytes of `path`; a wrong key, value or type becomes an `InputError` naming it.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, file path: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw InputError("missing key \"\(key.stringValue)\"", file: path)
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            let hint = key == "cell" ? " (one of \(RecurrentCell.allCases.map(\.rawValue).joined(separator: ", ")))" : ""
            throw InputError("bad value for \"\(key)\"\(hint)", file: path)
        } catch let DecodingError.typeMismatch(_, context) {
            throw InputError("wrong type at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)", file: path)
        } catch let DecodingError.valueNotFound(_, context) {
            throw InputError("missing value at \(context.codingPath.map(\.stringValue).joined(separator: "."))", file: path)
        } catch {
            throw InputError("not valid JSON: \(error.localizedDescription)", file: path)
        }
    }
}

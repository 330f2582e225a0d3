import Foundation

/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N
/// bytes of JSON `{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...,
/// "__metadata__": {...}}`, then the raw little-endian data. Glossa writes and reads F32 only.
public enum SafeTensors {
    /// Encodes named tensors (in the given order) with optional string metadata.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) -> Data {
        var header = "{"
        var offset = 0
        var parts: [String] = []
        if !metadata.isEmpty {
            let items = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            parts.append("\"__metadata__\":{\(items.joined(separator: ","))}")
        }
        for (name, t) in tensors {
            let bytes = t.count * 4
            parts.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var data = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: headerBytes)
        for (_, t) in tensors {
            t.data.withUnsafeBufferPointer { data.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
        }
        return data
    }

    /// Writes `tensors` to `path` (temporary file + rename).
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to path: String) throws {
        try AtomicFile.write(encode(tensors, metadata: metadata), to: path)
    }

    /// Reads every tensor of a safetensors file, in file order. Throws `InputError` naming the
    /// file for a missing/truncated file, a malformed header or a dtype other than F32.
    public static func read(_ path: String) throws -> [(name: String, tensor: Tensor)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("cannot read the file (missing or unreadable)", file: path)
        }
        return try decode(data, file: path)
    }

    /// The JSON header of safetensors bytes and where the data starts.
    static func header(_ bytes: [UInt8], file: String) throws -> (header: [String: Any], end: Int) {
        guard bytes.count >= 8 else { throw InputError("not a safetensors file: \(bytes.count) bytes, no header", file: file) }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(bytes.count - 8) else {
            throw InputError("not a safetensors file: header length \(n) exceeds the file size \(bytes.count)", file: file)
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + Int(n))])), let header = json as? [String: Any] else {
            throw InputError("not a safetensors file: the header is not a JSON object", file: file)
        }
        return (header, 8 + Int(n))
    }

    /// The string metadata (`__metadata__`) of safetensors bytes.
    public static func metadata(_ data: Data, file: String) throws -> [String: String] {
        try header([UInt8](data), file: file).header["__metadata__"] as? [String: String] ?? [:]
    }

    /// Decodes safetensors bytes; `file` names the source in error messages.
    public static func decode(_ data: Data, file: String) throws -> [(name: String, tensor: Tensor)] {
        let bytes = [UInt8](data)
        let (header, headerEnd) = try Self.header(bytes, file: file)
        var entries: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2 else {
                throw InputError("tensor \(name): malformed header entry", file: file)
            }
            guard dtype == "F32" else {
                throw InputError("tensor \(name) has dtype \(dtype); Glossa reads F32 only (convert with tensor.float())", file: file)
            }
            // Sizes are checked without overflow: a header can claim any numbers.
            guard shape.allSatisfy({ $0 >= 0 }), let expected = byteCount(shape) else {
                throw InputError("tensor \(name): impossible shape \(shape)", file: file)
            }
            let dataSize = bytes.count - headerEnd
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataSize, offsets[1] - offsets[0] == expected else {
                throw InputError("tensor \(name): data offsets \(offsets) do not fit shape \(shape) or the file (truncated?)", file: file)
            }
            entries.append((name, shape, offsets[0], offsets[1]))
        }
        entries.sort { $0.begin < $1.begin }
        return entries.map { e in
            var t = Tensor(zeros: e.shape)
            t.data.withUnsafeMutableBytes { dst in
                bytes.withUnsafeBytes { src in
                    dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(headerEnd + e.begin)..<(headerEnd + e.end)]))
                }
            }
            return (e.name, t)
        }
    }

    /// 4 × the product of `shape`, or nil when it overflows.
    private static func byteCount(_ shape: [Int]) -> Int? {
        var count = 4
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// `s` as a JSON string literal.
    private static func jsonString(_ s: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return String(decoding: try! encoder.encode(s), as: UTF8.self)  // a String always encodes
    }
}

import TestSupport
import XCTest
@testable import NeuralCore

final class CheckpointTests: XCTestCase {
    var folder: String!

    override func setUpWithError() throws {
        folder = try TemporaryFolder("core").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func makeModel(seed: UInt64, hidden: Int = 4) -> ParameterStore {
        var rng = SplitMix64(seed: seed)
        let store = ParameterStore()
        _ = Embedding(vocabularySize: 7, dimension: 3, prefix: "encoder", store: store, rng: &rng)
        _ = Recurrent(cell: .lstm, inputSize: 3, hiddenSize: hidden, numLayers: 2, prefix: "rnn", store: store, rng: &rng)
        _ = Linear(inputSize: hidden, outputSize: 7, prefix: "decoder", store: store, rng: &rng)
        return store
    }

    func testNamesFollowPyTorch() {
        let names = makeModel(seed: 1).parameters.map(\.name)
        XCTAssertEqual(names, ["encoder.weight",
                               "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
                               "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1",
                               "decoder.weight", "decoder.bias"])
        XCTAssertEqual(makeModel(seed: 1)["rnn.weight_ih_l1"]?.shape, [16, 4])
        var rng = SplitMix64(seed: 0)
        let store = ParameterStore()
        _ = Recurrent(cell: .gru, inputSize: 2, hiddenSize: 3, bidirectional: true, prefix: "encoder.rnn", store: store, rng: &rng)
        XCTAssertEqual(store.parameters.map(\.name).suffix(4),
                       ["encoder.rnn.weight_ih_l0_reverse", "encoder.rnn.weight_hh_l0_reverse",
                        "encoder.rnn.bias_ih_l0_reverse", "encoder.rnn.bias_hh_l0_reverse"])
    }

    func testSaveLoadRoundTrip() throws {
        let a = makeModel(seed: 1), b = makeModel(seed: 2)
        XCTAssertNotEqual(a.snapshot(), b.snapshot())
        let path = folder + "/model.safetensors"
        try a.save(to: path, metadata: ["format": "pt"])
        try b.load(from: path)
        XCTAssertEqual(a.snapshot(), b.snapshot())
        // The file is plain safetensors: header length, JSON, data.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let n = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(n % 8, 0)
        let header = try JSONSerialization.jsonObject(with: data[8..<(8 + n)]) as! [String: Any]
        let entry = header["rnn.weight_hh_l1"] as! [String: Any]
        XCTAssertEqual(entry["dtype"] as? String, "F32")
        XCTAssertEqual(entry["shape"] as? [Int], [16, 4])
        XCTAssertEqual((header["__metadata__"] as? [String: String])?["format"], "pt")
        XCTAssertEqual(data.count, 8 + n + a.count * 4)
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: folder).contains { $0.contains("tmp") })
    }

    func testLoadSaysWhatIsWrong() throws {
        let path = folder + "/model.safetensors"
        try makeModel(seed: 1).save(to: path)
        let other = makeModel(seed: 2, hidden: 5)
        let before = other.snapshot()
        XCTAssertThrowsError(try other.load(from: path)) { error in
            XCTAssertEqual("\(error)", "\(path): tensor rnn.weight_ih_l0 has shape [16, 3], the model expects [20, 3] (check config.json)")
        }
        XCTAssertEqual(other.snapshot(), before, "nothing changes when loading fails")

        let store = ParameterStore()
        store.add("encoder.weight", shape: [7, 3])
        store.add("extra.weight", shape: [1])
        XCTAssertThrowsError(try store.load(from: path)) { XCTAssertTrue("\($0)".contains("tensor extra.weight [1] is missing")) }
        let small = ParameterStore()
        small.add("encoder.weight", shape: [7, 3])
        XCTAssertThrowsError(try small.load(from: path)) { XCTAssertTrue("\($0)".contains("is not part of the model")) }
        XCTAssertNoThrow(try small.load(from: path, allowUnexpected: true))

        XCTAssertThrowsError(try store.load(from: folder + "/missing.safetensors")) { XCTAssertTrue("\($0)".contains("missing or unreadable")) }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes.removeLast(4)
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/cut.safetensors"))
        XCTAssertThrowsError(try SafeTensors.read(folder + "/cut.safetensors")) { XCTAssertTrue("\($0)".contains("truncated")) }
        let f16 = #"{"w":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}"#
        var raw = Data()
        withUnsafeBytes(of: UInt64(f16.utf8.count).littleEndian) { raw.append(contentsOf: $0) }
        raw.append(contentsOf: Array(f16.utf8) + [0, 0])
        XCTAssertThrowsError(try SafeTensors.decode(raw, file: "half.safetensors")) {
            XCTAssertEqual("\($0)", "half.safetensors: tensor w has dtype F16; Glossa reads F32 only (convert with tensor.float())")
        }
        XCTAssertThrowsError(try SafeTensors.decode(Data([1, 2]), file: "x")) { XCTAssertTrue("\($0)".contains("not a safetensors file")) }
    }

    struct Config: Codable, Equatable {
        var modelType: String
        var hiddenSize: Int
        enum CodingKeys: String, CodingKey {
            case modelType = "model_type"
            case hiddenSize = "hidden_size"
        }
    }

    func testConfigJSON() throws {
        let path = folder + "/config.json"
        try JSONFile.write(Config(modelType: "rnn-lm", hiddenSize: 200), to: path)
        XCTAssertEqual(try JSONFile.read(Config.self, from: path), Config(modelType: "rnn-lm", hiddenSize: 200))
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains("\"hidden_size\" : 200"))
        try #"{"model_type": "rnn-lm"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try JSONFile.read(Config.self, from: path)) {
            XCTAssertEqual("\($0)", "\(path): missing key \"hidden_size\"")
        }
    }
}

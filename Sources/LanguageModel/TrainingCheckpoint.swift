import Foundation
import NeuralCore
import TextProcessing

/// The resumable state of a training run, one file `checkpoint.safetensors` in the output folder
/// (written through a temporary file and a rename, so a crash leaves the previous one whole):
///
/// - `param.<name>`: the current weights (not the best; those are `model.safetensors`);
/// - `state.h`, `state.c` [L, B, H]: the hidden state carried into the next chunk;
/// - metadata `glossa_training_state`: the `TrainingPosition` as JSON (epoch, chunk, learning rate,
///   random generator, best perplexity, records, options and data files).
///
/// Adam's moment estimates are not kept (NeuralCore's `Adam` does not expose them): a resumed Adam
/// run restarts them, so only SGD runs resume bit for bit.
public struct TrainingCheckpoint {
    public static let fileName = "checkpoint.safetensors"
    static let metadataKey = "glossa_training_state"

    public var position: TrainingPosition
    public var parameters: [(name: String, tensor: Tensor)]
    public var state: RecurrentState

    public init(position: TrainingPosition, parameters: [(name: String, tensor: Tensor)], state: RecurrentState) {
        self.position = position
        self.parameters = parameters
        self.state = state
    }

    /// Writes the checkpoint into `folder` atomically.
    public func write(to folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(position), as: UTF8.self)
        var tensors = parameters.map { (name: "param." + $0.name, tensor: $0.tensor) }
        tensors.append((name: "state.h", tensor: state.h))
        if let c = state.c { tensors.append((name: "state.c", tensor: c)) }
        let metadata = [Self.metadataKey: json, "format": "glossa-lm-training-checkpoint"]
        try SafeTensors.write(tensors, metadata: metadata, to: folder + "/" + Self.fileName)
    }

    /// Reads `folder/checkpoint.safetensors`; throws `InputError` naming the file when it is missing
    /// or is not a Glossa language-model training checkpoint.
    public static func read(from folder: String) throws -> TrainingCheckpoint {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("no training checkpoint to resume from (train without --resume first)", file: path)
        }
        let tensors = try SafeTensors.decode(data, file: path)
        guard let metadata = Self.metadata(data), let json = metadata[metadataKey],
              let position = try? JSONDecoder().decode(TrainingPosition.self, from: Data(json.utf8)) else {
            throw InputError("not a Glossa language-model training checkpoint", file: path)
        }
        var parameters: [(name: String, tensor: Tensor)] = []
        var h: Tensor?, c: Tensor?
        for (name, tensor) in tensors {
            switch name {
            case "state.h": h = tensor
            case "state.c": c = tensor
            default:
                if name.hasPrefix("param.") { parameters.append((String(name.dropFirst(6)), tensor)) }
            }
        }
        guard let h else { throw InputError("the checkpoint lacks the hidden state state.h", file: path) }
        return TrainingCheckpoint(position: position, parameters: parameters, state: RecurrentState(h: h, c: c))
    }

    /// The `__metadata__` object of a safetensors header.
    static func metadata(_ data: Data) -> [String: String]? {
        guard data.count >= 8 else { return nil }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(data[data.startIndex + i]) << (8 * UInt64(i)) }
        guard n <= UInt64(data.count - 8) else { return nil }
        let header = data[(data.startIndex + 8)..<(data.startIndex + 8 + Int(n))]
        guard let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else { return nil }
        return object["__metadata__"] as? [String: String]
    }
}

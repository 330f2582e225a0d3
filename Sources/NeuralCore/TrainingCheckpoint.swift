import Foundation

/// The resumable state of a training run, one file `checkpoint.safetensors` in the output folder
/// for every trainer (written through a temporary file and a rename, so a crash leaves the previous
/// one whole):
///
/// - `param.<name>`: the current weights (not the best; those are `model.safetensors`);
/// - `adam.m`, `adam.v` [P]: Adam's moment estimates (absent with SGD);
/// - `state.<name>`: what else the trainer carries from step to step (a language model's hidden
///   state `state.h`, `state.c` [L, B, H]);
/// - metadata `glossa_training_state`: the `TrainingState` as JSON (position in the data, step,
///   learning rate, Adam's step count, best scores, records, the run's settings and data files).
///
/// Dropout masks are keyed by (seed, step, position) (`DropoutKey`), so no generator state is kept.
public struct TrainingCheckpoint {
    public static let fileName = "checkpoint.safetensors"
    static let metadataKey = "glossa_training_state"
    static let format = "glossa-training-checkpoint-2"

    public var state: TrainingState
    /// Every tensor by its name in the file.
    public var tensors: [String: Tensor]

    public init(state: TrainingState, tensors: [String: Tensor]) {
        self.state = state
        self.tensors = tensors
    }

    /// Tensors under `prefix` (the prefix dropped).
    public func tensors(under prefix: String) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, tensor) in tensors where name.hasPrefix(prefix) { out[String(name.dropFirst(prefix.count))] = tensor }
        return out
    }

    /// Writes `state` and the tensors (names as in the file) into `folder` atomically.
    public static func write(state: TrainingState, tensors: [(name: String, tensor: Tensor)], to folder: String) throws {
        let json = String(decoding: try JSONEncoder.snakeCase(.sortedKeys).encode(state), as: UTF8.self)
        try SafeTensors.write(tensors, metadata: [metadataKey: json, "format": format], to: folder + "/" + fileName)
    }

    /// Whether `folder` holds a training run (a checkpoint of any layout).
    public static func exists(in folder: String) -> Bool {
        FileManager.default.fileExists(atPath: folder + "/" + fileName)
            || FileManager.default.fileExists(atPath: folder + "/training/state.json")
    }

    /// Reads `folder/checkpoint.safetensors`; throws `InputError` naming the file when it is missing,
    /// of an older layout, or not a Glossa training checkpoint.
    public static func read(from folder: String) throws -> TrainingCheckpoint {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: folder + "/training/state.json") {
                throw InputError("this run was saved by an older glossa (training/state.json) whose checkpoints this one cannot continue; start the run again in a new folder", file: folder)
            }
            throw InputError("no training checkpoint to resume from (train without --resume first)", file: path)
        }
        let tensors = try SafeTensors.decode(data, file: path)
        let metadata = try SafeTensors.metadata(data, file: path)
        guard metadata["format"] == format, let json = metadata[metadataKey] else {
            if metadata["format"] == "glossa-lm-training-checkpoint" {
                throw InputError("this checkpoint was written by an older glossa (before one training loop kept Adam's state); this one cannot continue it exactly; start the run again in a new folder", file: path)
            }
            throw InputError("not a Glossa training checkpoint", file: path)
        }
        let state: TrainingState
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            state = try decoder.decode(TrainingState.self, from: Data(json.utf8))
        } catch {
            throw InputError("the checkpoint's training state cannot be read (\(error.localizedDescription))", file: path)
        }
        return TrainingCheckpoint(state: state, tensors: Dictionary(tensors.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a }))
    }
}

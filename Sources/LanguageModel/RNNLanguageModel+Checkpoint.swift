import Foundation
import NeuralCore
import TextProcessing

extension RNNLanguageModel {
    /// Writes `config.json` and `model.safetensors` into `folder` (each through a temporary file and
    /// a rename, so an interrupted write leaves the previous files whole). Tensor names and layouts
    /// are word_language_model's, so `RNNModel.load_state_dict` reads the file.
    public func save(to folder: String) throws {
        try SafeTensors.write(stateDict(), to: folder + "/model.safetensors")
        try JSONFile.write(config, to: folder + "/config.json")
    }

    /// Reads `config.json` of a language-model directory; a missing file, malformed JSON, another
    /// `model_type` or impossible sizes throw an error naming the file.
    public static func readConfig(from folder: String) throws -> LanguageModelConfig {
        let path = folder + "/config.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
                throw InputError("no such model directory", file: folder)
            }
            throw InputError("missing config.json; is this a model directory written by `glossa lm train`?", file: path)
        }
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let type = object["model_type"] as? String, type != LanguageModelConfig.modelType {
            throw InputError("model_type is \"\(type)\", not \"\(LanguageModelConfig.modelType)\": this is not a language model", file: path)
        }
        let config: LanguageModelConfig
        do {
            config = try JSONDecoder().decode(LanguageModelConfig.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw InputError("missing key \"\(key.stringValue)\"", file: path)
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            let hint = key == "cell" ? " (one of \(RecurrentCell.allCases.map(\.rawValue).joined(separator: ", ")))" : ""
            throw InputError("bad value for \"\(key)\"\(hint)", file: path)
        } catch let DecodingError.typeMismatch(_, context) {
            throw InputError("wrong type for \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\"", file: path)
        } catch {
            throw InputError("not a JSON object with the keys of a language model's config", file: path)
        }
        if let problem = config.problem { throw InputError(problem, file: path) }
        return config
    }

    /// Loads `config.json` and `model.safetensors` from `folder`. Every tensor the architecture
    /// needs must be present with its exact shape; a tensor the model does not have is an error too
    /// (except `decoder.weight` of a tied model, which PyTorch writes as a copy of `encoder.weight`).
    public static func load(from folder: String) throws -> RNNLanguageModel {
        let config = try readConfig(from: folder)
        let path = folder + "/model.safetensors"
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError("missing model.safetensors", file: folder)
        }
        let model = RNNLanguageModel(config: config)
        try model.loadWeights(SafeTensors.read(path), file: path)
        return model
    }

    /// Copies named tensors into the parameters (`ParameterStore.load`), PyTorch's copy of a tied
    /// `decoder.weight` included; nothing changes when it throws. `file` names the source in errors.
    func loadWeights(_ tensors: [(name: String, tensor: Tensor)], file: String) throws {
        if config.tieWeights, let d = tensors.first(where: { $0.name == "decoder.weight" })?.tensor, d.shape != encoder.weight.shape {
            throw InputError("tensor decoder.weight has shape \(d.shape) but the tied encoder.weight is \(encoder.weight.shape)", file: file)
        }
        try store.load(tensors, file: file, extra: config.tieWeights ? ["decoder.weight"] : [])
    }
}

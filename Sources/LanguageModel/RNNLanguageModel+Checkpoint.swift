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
        let config = try JSONFile.readConfig(LanguageModelConfig.self, of: folder, modelType: LanguageModelConfig.modelType,
                                             kind: "language model", writer: "glossa lm train")
        if let problem = config.problem { throw InputError(problem, file: folder + "/config.json") }
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

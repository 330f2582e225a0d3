import Foundation
import NeuralCore
import TextProcessing

/// Training settings of `glossa translate train`.
public struct TranslationTrainingOptions: Sendable {
    public enum Optimizer: String, Sendable, CaseIterable { case adam, sgd }
    public var epochs = 15
    /// Sentence pairs per batch (the most, with `batchTokens`).
    public var batchSize = 64
    /// When set, batches hold as many pairs as keep B · max(S, T) within this many tokens.
    public var batchTokens: Int?
    public var optimizer = Optimizer.adam
    public var learningRate: Float = 1e-3
    /// Gradient-norm clipping threshold (0 turns it off).
    public var clip: Float = 1
    /// λ of the L2 penalty λ·‖W‖².
    public var l2: Float = 0
    public var dropout: Float = 0.3
    /// Stop when validation BLEU has not improved for this many epochs.
    public var patience = 3
    public var seed: UInt64 = 1
    public init() {}
}

/// One line of `metrics.jsonl`.
public struct TranslationEpochMetrics: Codable, Sendable {
    public var epoch: Int
    public var trainLoss: Double
    public var validLoss: Double?
    public var validBLEU: Double?
    public var seconds: Double
    public var pairsPerSecond: Double
    public var best: Bool

    enum CodingKeys: String, CodingKey {
        case epoch, seconds, best
        case trainLoss = "train_loss", validLoss = "valid_loss", validBLEU = "valid_bleu", pairsPerSecond = "pairs_per_second"
    }
}

/// Where training is, for progress lines.
public struct TranslationTrainingProgress: Sendable {
    public var epoch: Int, epochs: Int
    public var batch: Int, batches: Int
    /// Mean training loss so far in this epoch.
    public var loss: Double
    public var pairsPerSecond: Double
    public var secondsLeftInEpoch: Double
}

/// What is saved to resume an interrupted run: the latest weights (`training/last.safetensors`) and
/// this (`training/state.json`). Adam's moments are not kept: a resumed run restarts them.
struct TranslationTrainingState: Codable {
    var epoch: Int           // the epoch in progress (1-based)
    var batch: Int           // batches of it already done
    var bestBLEU: Double?
    var bestLoss: Double?
    var epochsWithoutImprovement: Int
    var lossSum: Double
    var tokens: Int
}

/// Trains a `TranslationModel` on sentence pairs: seeded, length-bucketed batches; Adam (or SGD) with
/// gradient clipping and L2; after each epoch greedy validation BLEU (sacreBLEU, lowercased) and loss;
/// keeps the best model by validation BLEU in the output directory; stops early after `patience`
/// epochs without improvement; writes `metrics.jsonl` and `learning-curve.svg`; can resume.
public final class TranslationTrainer {
    public let model: TranslationModel
    public let options: TranslationTrainingOptions
    public let output: String
    let pairs: [(source: [Int32], target: [Int32])]
    let validPairs: [(source: [Int32], target: [Int32])]
    let validReferences: [String]
    public private(set) var history: [TranslationEpochMetrics] = []
    /// Called where a whole batch's gradients are complete, before L2, clipping and the optimizer.
    public var gradientReducer: GradientReducer = LocalGradients()

    /// - Parameters:
    ///   - valid: validation pairs (ids) with their raw reference lines, or empty to select by training loss.
    public init(model: TranslationModel, pairs: [(source: [Int32], target: [Int32])],
                validPairs: [(source: [Int32], target: [Int32])], validReferences: [String],
                options: TranslationTrainingOptions, output: String) {
        self.model = model
        self.pairs = pairs
        self.validPairs = validPairs
        self.validReferences = validReferences
        self.options = options
        self.output = output
    }

    var statePath: String { output + "/training/state.json" }
    var lastWeightsPath: String { output + "/training/last.safetensors" }

    /// Runs (or resumes, with `resume`) training. `progress` is called after every batch; when
    /// `shouldStop` turns true the run saves its state after the current batch and returns, and a
    /// later run with `resume` continues from there. Returns the metrics of the finished epochs.
    @discardableResult
    public func train(resume: Bool = false, progress: (TranslationTrainingProgress) -> Void = { _ in },
                      shouldStop: () -> Bool = { false }) throws -> [TranslationEpochMetrics] {
        let translator = model.translator, store = translator.store
        if resume && !FileManager.default.fileExists(atPath: statePath) {
            throw InputError("nothing to resume here (no training/state.json); start without --resume", file: output)
        }
        do {
            try FileManager.default.createDirectory(atPath: output + "/training", withIntermediateDirectories: true)
        } catch {
            throw InputError("cannot create the output folder: \(error.localizedDescription)", file: output)
        }
        var state = TranslationTrainingState(epoch: 1, batch: 0, bestBLEU: nil, bestLoss: nil, epochsWithoutImprovement: 0, lossSum: 0, tokens: 0)
        if resume {
            state = try JSONFile.read(TranslationTrainingState.self, from: statePath)
            try store.load(from: lastWeightsPath)
            history = Self.readMetrics(output + "/metrics.jsonl")
        } else {
            try? FileManager.default.removeItem(atPath: output + "/metrics.jsonl")
        }
        let adam = Adam(store: store, learningRate: options.learningRate)
        let sgd = SGD(store: store, learningRate: options.learningRate)
        let workspace = TranslatorWorkspace(translator.architecture)
        let specials = model.targetSpecials

        while state.epoch <= options.epochs {
            let epoch = state.epoch
            let batches = SentenceBatches(pairs: pairs, batchSize: options.batchSize, tokenBudget: options.batchTokens,
                                          pad: specials.pad, bos: specials.bos, eos: specials.eos,
                                          seed: options.seed &+ UInt64(epoch))
            let started = Date()
            var pairsDone = 0
            for index in state.batch..<batches.count {
                let batch = batches.batch(batches.groups[index])
                store.zeroGradients()
                let (loss, tokens) = translator.accumulateGradients(batch, dropout: options.dropout,
                                                                 key: DropoutKey(seed: options.seed, step: (epoch - 1) * batches.count + index),
                                                                 workspace: workspace)
                var stepLoss = StepLoss(sum: Double(loss) * Double(tokens), tokens: tokens)
                gradientReducer.reduce(gradients: store.allGradients, loss: &stepLoss)
                if options.l2 > 0 { store.addL2Penalty(options.l2) }
                if options.clip > 0 { store.clipGradientNorm(options.clip) }
                switch options.optimizer {
                case .adam: adam.step()
                case .sgd: sgd.step()
                }
                state.lossSum += Double(loss) * Double(tokens)
                state.tokens += tokens
                state.batch = index + 1
                pairsDone += batch.count
                let elapsed = Date().timeIntervalSince(started)
                let rate = Double(pairsDone) / Swift.max(elapsed, 1e-9)
                let remainingPairs = batches.groups[(index + 1)...].reduce(0) { $0 + $1.count }
                progress(TranslationTrainingProgress(epoch: epoch, epochs: options.epochs, batch: index + 1, batches: batches.count,
                                                     loss: state.lossSum / Double(Swift.max(state.tokens, 1)),
                                                     pairsPerSecond: rate, secondsLeftInEpoch: Double(remainingPairs) / Swift.max(rate, 1e-9)))
                if shouldStop() && index + 1 < batches.count {
                    try saveState(state)
                    return history
                }
            }
            let seconds = Date().timeIntervalSince(started)
            let trainLoss = state.lossSum / Double(Swift.max(state.tokens, 1))
            var metrics = TranslationEpochMetrics(epoch: epoch, trainLoss: trainLoss, validLoss: nil, validBLEU: nil,
                                                  seconds: seconds, pairsPerSecond: Double(pairsDone) / Swift.max(seconds, 1e-9), best: false)
            if !validPairs.isEmpty {
                metrics.validLoss = validationLoss(workspace: workspace)
                metrics.validBLEU = validationBLEU()
            }
            let improved: Bool
            if let bleu = metrics.validBLEU {
                improved = state.bestBLEU.map { bleu > $0 } ?? true
                if improved { state.bestBLEU = bleu }
            } else {
                let loss = metrics.validLoss ?? trainLoss
                improved = state.bestLoss.map { loss < $0 } ?? true
                if improved { state.bestLoss = loss }
            }
            metrics.best = improved
            if improved { try model.save(to: output) }
            state.epochsWithoutImprovement = improved ? 0 : state.epochsWithoutImprovement + 1
            history.append(metrics)
            try appendMetrics(metrics)
            state.epoch += 1
            state.batch = 0
            state.lossSum = 0
            state.tokens = 0
            try saveState(state)
            if state.epochsWithoutImprovement >= options.patience { break }
            if shouldStop() { return history }
        }
        return history
    }

    /// Mean cross-entropy per target token on the validation pairs (forward only, no dropout).
    func validationLoss(workspace: TranslatorWorkspace) -> Double {
        let specials = model.targetSpecials
        let batches = SentenceBatches(pairs: validPairs, batchSize: 64, pad: specials.pad, bos: specials.bos, eos: specials.eos)
        var sum = 0.0, tokens = 0
        for batch in batches {
            let (loss, count) = model.translator.loss(batch, workspace: workspace)
            sum += Double(loss) * Double(count)
            tokens += count
        }
        return sum / Double(Swift.max(tokens, 1))
    }

    /// Greedy corpus BLEU (sacreBLEU, lowercased) of the validation sources against the raw references.
    func validationBLEU() -> Double {
        let hypotheses = model.translateIDs(validPairs.map(\.source))
        return BLEU(hypotheses: hypotheses, references: validReferences, lowercase: true).score
    }

    func saveState(_ state: TranslationTrainingState) throws {
        // A run stopped before its first epoch ended has no model files yet; --resume needs the
        // config and vocabularies, so write them (with the current weights) now.
        if !FileManager.default.fileExists(atPath: output + "/config.json") { try model.save(to: output) }
        try model.translator.store.save(to: lastWeightsPath)
        try JSONFile.write(state, to: statePath)
    }

    func appendMetrics(_ metrics: TranslationEpochMetrics) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var text = (try? String(contentsOfFile: output + "/metrics.jsonl", encoding: .utf8)) ?? ""
        text += String(decoding: try encoder.encode(metrics), as: UTF8.self) + "\n"
        try AtomicFile.write(text, to: output + "/metrics.jsonl")
        try AtomicFile.write(LearningCurve.svg(history), to: output + "/learning-curve.svg")
    }

    static func readMetrics(_ path: String) -> [TranslationEpochMetrics] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(TranslationEpochMetrics.self, from: Data($0.utf8)) }
    }
}

extension TranslationModel {
    /// Greedy translations of already-encoded sources (ids without `<eos>`), detokenized, in order.
    public func translateIDs(_ sources: [[Int32]], batchSize: Int = 64) -> [String] {
        let order = sources.indices.sorted { sources[$0].count < sources[$1].count }
        var out = [String](repeating: "", count: sources.count)
        let plan = translator.makeDecodingPlan()
        var start = 0
        while start < order.count {
            let chunk = Array(order[start..<Swift.min(start + batchSize, order.count)])
            let batch = SentenceSources(chunk.map { sources[$0] }, pad: sourceVocabulary.padID, eos: sourceVocabulary.eosID)
            for (i, h) in zip(chunk, translator.greedy(batch, specials: targetSpecials, plan: plan)) {
                out[i] = text(targetVocabulary.decode(h.tokens))
            }
            start += chunk.count
        }
        return out
    }
}

import Foundation
import NeuralCore
import TextProcessing
import Translation

/// `glossa-bench translate --source S --target T`: the translator of DESIGN.md (GRU, E 256, H 512,
/// bidirectional encoder, Adam 1e-3, clipping 1, dropout 0.3, batches of 64) timed as
/// Benchmarks/pytorch_seq2seq.py times its PyTorch twin: training sentence pairs/s on the first
/// `--train-pairs` pairs (length-sorted batches) and batched greedy decoding sentences/s on the
/// last `--decode` sources. Vocabularies: tokens seen twice in the whole files. One JSON line.
/// With `--model DIR` decoding uses that trained model instead of the briefly trained one; the
/// decoded sources are written as ids to `--ids-out` and the decoding model to `--model-out`, so the
/// PyTorch twin decodes exactly the same sentences with exactly the same weights.
func runTranslateBenchmark(_ arguments: [String]) throws {
    var options: [String: String] = ["--train-pairs": "3200", "--decode": "1000", "--batch-size": "64", "--embed": "256",
                                     "--hidden": "512", "--cell": "gru", "--dropout": "0.3", "--threads": "2"]
    var i = 0
    while i + 1 < arguments.count { options[arguments[i]] = arguments[i + 1]; i += 2 }
    guard let sourcePath = options["--source"], let targetPath = options["--target"] else {
        print("usage: glossa-bench translate --source FILE --target FILE [--train-pairs N] [--decode N] [--threads N]")
        exit(2)
    }
    BlasThreads.count = Int(options["--threads"]!)!
    neuralCoreUsesBothCores = BlasThreads.count > 1
    let settings = TokenizerSettings.icu(keepPunctuation: true)
    let corpus = try ParallelCorpus(sourcePath: sourcePath, targetPath: targetPath,
                                    sourceTokenizer: Tokenizer(settings: settings), targetTokenizer: Tokenizer(settings: settings))
    let sourceVocabulary = ParallelCorpus.vocabulary(corpus.sources, minCount: 2, maxSize: nil)
    let targetVocabulary = ParallelCorpus.vocabulary(corpus.targets, minCount: 2, maxSize: nil)
    let (pairs, _, _) = corpus.encoded(source: sourceVocabulary, target: targetVocabulary, maxLength: 1000)
    let architecture = TranslatorArchitecture(cell: RecurrentCell(rawValue: options["--cell"]!)!, embeddingSize: Int(options["--embed"]!)!,
                                              hiddenSize: Int(options["--hidden"]!)!, sourceVocabSize: sourceVocabulary.count,
                                              targetVocabSize: targetVocabulary.count)
    let translator = Translator(architecture, seed: 1)
    let model = TranslationModel(config: TranslatorConfig(architecture: architecture, sourceTokenizer: settings, targetTokenizer: settings),
                                 translator: translator, sourceVocabulary: sourceVocabulary, targetVocabulary: targetVocabulary)
    let batchSize = Int(options["--batch-size"]!)!, dropout = Float(options["--dropout"]!)!
    let train = Array(pairs.prefix(Int(options["--train-pairs"]!)!))
    let specials = model.targetSpecials
    let batches = SentenceBatches(pairs: train, batchSize: batchSize, pad: specials.pad, bos: specials.bos, eos: specials.eos)
    let adam = Adam(store: translator.store, learningRate: 1e-3)
    let workspace = TranslatorWorkspace(architecture)
    var started = Date()
    for batch in batches {
        translator.store.zeroGradients()
        translator.accumulateGradients(batch, dropout: dropout, key: DropoutKey(seed: 1, step: 0), workspace: workspace)
        translator.store.clipGradientNorm(1)
        adam.step()
    }
    let trainSeconds = Date().timeIntervalSince(started)

    var decoder = model
    if let path = options["--model"] { decoder = try TranslationModel.load(from: path) }
    let decodePairs = corpus.encoded(source: decoder.sourceVocabulary, target: decoder.targetVocabulary, maxLength: 1000).pairs
    let decode = Array(decodePairs.suffix(Int(options["--decode"]!)!)).map(\.source)
    if let path = options["--ids-out"] {
        try AtomicFile.write(decode.map { $0.map(String.init).joined(separator: " ") + "\n" }.joined(), to: path)
    }
    if let path = options["--model-out"] { try decoder.save(to: path) }
    let decodeSpecials = decoder.targetSpecials
    started = Date()
    var produced = 0
    let order = decode.indices.sorted { decode[$0].count < decode[$1].count }
    let plan = decoder.translator.makeDecodingPlan()
    var start = 0
    while start < order.count {
        let chunk = order[start..<min(start + batchSize, order.count)].map { decode[$0] }
        let hypotheses = decoder.translator.greedy(SentenceSources(chunk, pad: decoder.sourceVocabulary.padID, eos: decoder.sourceVocabulary.eosID),
                                                   specials: decodeSpecials, plan: plan)
        produced += hypotheses.reduce(0) { $0 + $1.tokens.count }
        start += chunk.count
    }
    let decodeSeconds = Date().timeIntervalSince(started)
    func r(_ x: Double, _ digits: Double = 10) -> Double { (x * digits).rounded() / digits }
    let result: [String: Any] = [
        "benchmark": "translate", "implementation": "glossa", "threads": BlasThreads.count, "cell": architecture.cell.rawValue,
        "embed": architecture.embeddingSize, "hidden": architecture.hiddenSize, "source_vocab": sourceVocabulary.count,
        "target_vocab": targetVocabulary.count, "batch_size": batchSize, "train_pairs": train.count,
        "train_seconds": r(trainSeconds, 1000), "train_pairs_per_second": r(Double(train.count) / max(trainSeconds, 1e-9)),
        "decode_sentences": decode.count, "decode_model": options["--model"] ?? "trained above", "decode_seconds": r(decodeSeconds, 1000),
        "decode_sentences_per_second": r(Double(decode.count) / decodeSeconds), "decoded_tokens": produced,
    ]
    print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
}

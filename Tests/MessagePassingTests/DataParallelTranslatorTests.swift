import Foundation
import NeuralCore
import TestSupport
import XCTest

/// `glossa translate train` under mpirun against the 1-process oracle: 2 and 3 ranks, each batch of
/// sentence pairs split by tokens, give one process's weights (SGD, with and without dropout), also
/// when a batch has fewer pairs than ranks (a rank with an empty share still joins every collective).
final class DataParallelTranslatorTests: MPITrainingTestCase {
    override func writeCorpora(with numbers: inout TestNumbers) throws {
        let letters = "abcdefghijkl".map(String.init)
        func corpus(_ name: String, _ lines: Int) throws {
            var source: [String] = [], target: [String] = []
            for _ in 0..<lines {
                let words = (0..<(2 + numbers.next(8))).map { _ in letters[numbers.next(letters.count)] }
                source.append(words.joined(separator: " "))
                target.append(words.reversed().map { $0.uppercased() + "x" }.joined(separator: " "))
            }
            try (source.joined(separator: "\n") + "\n").write(toFile: "\(folder)/\(name).src", atomically: true, encoding: .utf8)
            try (target.joined(separator: "\n") + "\n").write(toFile: "\(folder)/\(name).tgt", atomically: true, encoding: .utf8)
        }
        try corpus("train", 200)
        try corpus("valid", 20)
    }

    func train(_ ranks: Int, _ output: String, _ extra: [String]) throws {
        let args = ["translate", "train", "--source", folder + "/train.src", "--target", folder + "/train.tgt",
                    "--valid-source", folder + "/valid.src", "--valid-target", folder + "/valid.tgt", "--output", folder + "/" + output,
                    "--tokenizer", "whitespace", "--embed", "8", "--hidden", "12", "--optimizer", "sgd", "--lr", "0.5"] + extra
        try glossa(ranks: ranks, args)
    }

    /// The largest difference between two model directories' weights (same names and shapes).
    func largestDifference(_ a: String, _ b: String) throws -> Float {
        let (x, y) = (try SafeTensors.read("\(folder)/\(a)/model.safetensors"), try SafeTensors.read("\(folder)/\(b)/model.safetensors"))
        XCTAssertEqual(x.map(\.name), y.map(\.name))
        var largest: Float = 0
        for (p, q) in zip(x, y) {
            XCTAssertEqual(p.tensor.shape, q.tensor.shape, p.name)
            for (u, v) in zip(p.tensor.data, q.tensor.data) { largest = max(largest, abs(u - v)) }
        }
        return largest
    }

    func testTwoAndThreeRanksGiveTheOneProcessWeights() throws {
        for dropout in ["0", "0.3"] {
            let steps = ["--batch-size", "9", "--max-steps", "8", "--dropout", dropout]
            try train(1, "one-\(dropout)", steps)
            for ranks in [2, 3] {
                try train(ranks, "ranks\(ranks)-\(dropout)", steps)
                XCTAssertLessThanOrEqual(try largestDifference("ranks\(ranks)-\(dropout)", "one-\(dropout)"), 1e-4, "\(ranks) ranks, dropout \(dropout)")
            }
        }
    }

    /// Batches of 2 pairs on 3 ranks: one rank's share is always empty.
    func testARankWithAnEmptyShareStillTakesPart() throws {
        let steps = ["--batch-size", "2", "--max-steps", "6", "--dropout", "0.2"]
        try train(1, "one", steps)
        try train(3, "three", steps)
        XCTAssertLessThanOrEqual(try largestDifference("three", "one"), 1e-4)
    }
}

import Foundation

/// Corpus BLEU computed exactly as sacreBLEU 2.x computes it by default: 13a tokenization, n-grams up
/// to 4, one reference per segment, brevity penalty, `exp` smoothing (mteval's), optional lowercasing
/// (`sacrebleu -lc`). `score` equals the `score` sacreBLEU prints (before its rounding).
public struct BLEU: Equatable, Sendable, CustomStringConvertible {
    /// BLEU in percent (0–100).
    public var score: Double
    /// Matched n-grams for n = 1…4 (clipped by the reference counts).
    public var correct: [Int]
    /// Hypothesis n-grams for n = 1…4.
    public var total: [Int]
    /// n-gram precisions in percent, after smoothing.
    public var precisions: [Double]
    /// Brevity penalty.
    public var brevityPenalty: Double
    /// Total hypothesis and reference lengths in 13a tokens.
    public var hypothesisLength: Int
    public var referenceLength: Int

    public static let maxOrder = 4

    /// The line sacreBLEU prints, e.g. `BLEU = 29.34 60.1/35.2/22.0/14.1 (BP = 1.000 ratio = 1.012 hyp_len = … ref_len = …)`.
    public var description: String {
        let p = precisions.map { String(format: "%.1f", $0) }.joined(separator: "/")
        let ratio = referenceLength > 0 ? Double(hypothesisLength) / Double(referenceLength) : 0
        return String(format: "BLEU = %.2f %@ (BP = %.3f ratio = %.3f hyp_len = %d ref_len = %d)",
                      score, p, brevityPenalty, ratio, hypothesisLength, referenceLength)
    }

    /// Corpus BLEU of `hypotheses` against `references` (same count, one reference per hypothesis).
    public init(hypotheses: [String], references: [String], lowercase: Bool = false) {
        precondition(hypotheses.count == references.count, "BLEU needs one reference per hypothesis")
        var correct = [Int](repeating: 0, count: Self.maxOrder)
        var total = [Int](repeating: 0, count: Self.maxOrder)
        var hypLength = 0, refLength = 0
        for (hypothesis, reference) in zip(hypotheses, references) {
            let h = Self.preprocess(hypothesis, lowercase: lowercase)
            let r = Self.preprocess(reference, lowercase: lowercase)
            hypLength += h.count
            refLength += r.count
            let refCounts = Self.ngramCounts(r)
            for (ngram, count) in Self.ngramCounts(h) {
                total[ngram.count - 1] += count
                if let inRef = refCounts[ngram] { correct[ngram.count - 1] += min(count, inRef) }
            }
        }
        self.init(correct: correct, total: total, hypothesisLength: hypLength, referenceLength: refLength)
    }

    /// BLEU from sufficient statistics (sacreBLEU's `compute_bleu` with `smooth_method='exp'`).
    public init(correct: [Int], total: [Int], hypothesisLength: Int, referenceLength: Int) {
        self.correct = correct
        self.total = total
        self.hypothesisLength = hypothesisLength
        self.referenceLength = referenceLength
        var bp = 1.0
        if hypothesisLength < referenceLength {
            bp = hypothesisLength > 0 ? exp(1 - Double(referenceLength) / Double(hypothesisLength)) : 0
        }
        brevityPenalty = bp
        var precisions = [Double](repeating: 0, count: Self.maxOrder)
        if !correct.contains(where: { $0 != 0 }) {
            self.precisions = precisions
            score = 0
            return
        }
        var smooth = 1.0
        for n in 0..<Self.maxOrder {
            if total[n] == 0 { break }
            if correct[n] == 0 {
                smooth *= 2
                precisions[n] = 100 / (smooth * Double(total[n]))
            } else {
                precisions[n] = 100 * Double(correct[n]) / Double(total[n])
            }
        }
        self.precisions = precisions
        let logSum = precisions.reduce(0.0) { $0 + ($1 > 0 ? log($1) : -9_999_999_999) }
        score = bp * exp(logSum / Double(Self.maxOrder))
    }

    /// sacreBLEU's `_preprocess_segment`: optional `lower()`, `rstrip()`, 13a tokens.
    static func preprocess(_ segment: String, lowercase: Bool) -> [String] {
        let text = lowercase ? segment.lowercased() : segment
        return Tokenizer13a.tokens(PythonWhitespace.rstrip(text))
    }

    /// Counts of every n-gram (n = 1…4) of `tokens`.
    static func ngramCounts(_ tokens: [String]) -> [ArraySlice<String>: Int] {
        var counts: [ArraySlice<String>: Int] = [:]
        for n in 1...maxOrder where n <= tokens.count {
            for i in 0...(tokens.count - n) { counts[tokens[i..<(i + n)], default: 0] += 1 }
        }
        return counts
    }
}

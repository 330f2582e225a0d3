import Foundation

/// The learning curve as an SVG picture: training and validation loss per epoch (left axis) and
/// validation BLEU (right axis).
enum LearningCurve {
    static func svg(_ history: [TranslationEpochMetrics]) -> String {
        let width = 640.0, height = 360.0, left = 60.0, right = 60.0, top = 30.0, bottom = 40.0
        let plotW = width - left - right, plotH = height - top - bottom
        let epochs = history.map { Double($0.epoch) }
        let losses = history.map(\.trainLoss) + history.compactMap(\.validLoss)
        let maxLoss = Swift.max(losses.max() ?? 1, 1e-9), maxBLEU = Swift.max(history.compactMap(\.validBLEU).max() ?? 1, 1)
        let lastEpoch = Swift.max(epochs.max() ?? 1, 1)
        func x(_ e: Double) -> Double { left + (lastEpoch <= 1 ? plotW / 2 : (e - 1) / (lastEpoch - 1) * plotW) }
        func yLoss(_ v: Double) -> Double { top + plotH * (1 - v / maxLoss) }
        func yBLEU(_ v: Double) -> Double { top + plotH * (1 - v / maxBLEU) }
        func line(_ points: [(Double, Double)], _ color: String, _ label: String, _ row: Int) -> String {
            let path = points.map { String(format: "%.1f,%.1f", $0.0, $0.1) }.joined(separator: " ")
            let dots = points.map { String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%@\"/>", $0.0, $0.1, color) }.joined()
            return "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"/>\(dots)"
                + "<text x=\"\(Int(left) + 10)\" y=\"\(Int(top) + 16 * row + 14)\" fill=\"\(color)\" font-size=\"13\">\(label)</text>"
        }
        var body = "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#999\"/>"
        body += line(history.map { (x(Double($0.epoch)), yLoss($0.trainLoss)) }, "#1f77b4", "training loss", 0)
        let valid = history.compactMap { m in m.validLoss.map { (x(Double(m.epoch)), yLoss($0)) } }
        if !valid.isEmpty { body += line(valid, "#ff7f0e", "validation loss", 1) }
        let bleu = history.compactMap { m in m.validBLEU.map { (x(Double(m.epoch)), yBLEU($0)) } }
        if !bleu.isEmpty { body += line(bleu, "#2ca02c", "validation BLEU (right axis)", 2) }
        body += String(format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\">%.2f</text>", 5.0, top + 4, maxLoss)
        body += String(format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\">%.1f</text>", width - right + 5, top + 4, maxBLEU)
        body += "<text x=\"\(Int(width / 2) - 20)\" y=\"\(Int(height) - 10)\" font-size=\"13\">epoch (1–\(Int(lastEpoch)))</text>"
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\">"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\(body)</svg>\n"
    }
}

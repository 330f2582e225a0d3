import ArgumentParser
import Deduplication
import Foundation

extension ClusteringMethod: ExpressibleByArgument {}

/// `glossa dedup`: cluster the rows of an address list into entities and add a `cluster_id` column.
struct DedupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup",
        abstract: "Say which rows of an address list are the same place: add a cluster_id column.",
        discussion: """
        Normalizes the chosen fields (ICU NFKC + case folding, Any-Latin; Latin-ASCII, punctuation, \
        abbreviations such as st → street, n → north, apt → apartment), represents each row as a hashed \
        character-trigram TF-IDF vector, puts likely duplicates together by recursive k-means \
        (k-means++, restarts), scores the pairs in each block with a Fellegi–Sunter model fitted by EM \
        (no labels needed) and forms entities by correlation clustering over the signed scores.
        Block size, threshold and k are chosen from the data unless given.

        Examples:
          glossa dedup people.csv --fields "given_name,surname,address_1,suburb,postcode" --output out.csv
          glossa dedup febrl2.csv --labels rec_id --fields given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth
          glossa dedup addresses.txt --format lines --explain
        """
    )

    enum Format: String, ExpressibleByArgument { case csv, lines }

    @Argument(help: "The input file: CSV with a header line (RFC 4180; , ; or tab), or text with --format lines.")
    var input: String

    @Option(help: "Comma-separated column names to compare (default: every column but --labels).")
    var fields: String?

    @Option(help: "Write the input with a cluster_id column here, in the input's delimiter (default: standard output). An input cluster_id column is replaced, and the summary says so.")
    var output: String?

    @Option(help: "A ground-truth entity column: print pairwise and B-cubed precision, recall and F1. Febrl ids rec-N-org / rec-N-dup-M count as entity N. Not used for clustering.")
    var labels: String?

    @Option(help: "correlation (default), agglomerative or kmeans.")
    var method: ClusteringMethod = .correlation

    @Option(help: "Clusters for --method kmeans (default: the number of entities the scored pairs imply).")
    var k: Int?

    @Option(help: "Posterior match probability above which two rows are the same entity (default 0.5).")
    var threshold: Double?

    @Flag(help: "Set the threshold without labels from a two-component Gaussian mixture over the pairs' log-odds instead of the pair model's posterior 0.5.")
    var mixtureThreshold = false

    @Option(help: "Largest k-means block whose pairs are all compared (default: from the row count).")
    var blockSize: Int?

    @Option(help: "Independent k-means blockings whose pairs are united (more find more duplicates, slower).")
    var blockingPasses: Int = DedupOptions().blockingPasses

    @Option(help: "Rows that share a field's value (a phone, a postcode, a date of birth) are also a block when at most this many rows hold it; 0 turns that off.")
    var maxValueGroup: Int = DedupOptions().maxValueGroup

    @Option(help: "Pairs in a block whose trigram TF-IDF cosine is lower are not compared.")
    var minCosine: Float = DedupOptions().minCosine

    @Flag(inversion: .prefixedNo, help: "Exact agreement on a common value (a busy street, a shared phone) counts less, as Splink's term-frequency adjustment.")
    var termFrequencies = DedupOptions().termFrequencies

    @Flag(inversion: .prefixedNo, help: "Compare text fields also with their words sorted (\"cafe (ritz-carlton)\" = \"ritz-carlton cafe\").")
    var tokenSet = DedupOptions().tokenSet

    @Flag(inversion: .prefixedNo, help: "Make the whole-record trigram cosine a field of the pair model (catches swapped fields; counts agreeing fields twice).")
    var recordLevel = DedupOptions().recordLevel

    @Option(help: "Latent classes of the pair model: 2 is classic Fellegi-Sunter (matches, non-matches); 3 also learns related rows that are not the same (neighbours at one address).")
    var classes: Int = DedupOptions().classes

    @OptionGroup var threadsOption: ThreadsOption

    @Option(help: "Random seed (k-means++, restarts, pivots).")
    var seed: UInt64 = 0

    @Option(help: "Write a self-contained HTML report here: summary, cluster sizes, match weights with the threshold, learned weights, the largest, most doubtful and random clusters side by side with explanations, a search box.")
    var report: String?

    @Flag(help: "Show a sample of pairs: the normalized fields, their similarities, weights and the score that decided.")
    var explain = false

    @Flag(help: "Under mpirun: every rank's stage times, each with its seconds inside MPI collectives (transfers and waits for slower ranks), not rank 0's alone.")
    var rankTimes = false

    @Option(help: "csv or lines (one address per line).")
    var format: Format = .csv

    @Option(help: "The CSV delimiter: , ; tab or any single character (default: detected from the header line).")
    var delimiter: String?

    @Flag(help: "Skip malformed CSV rows (and count them) instead of stopping at the first one.")
    var skipBadRows = false

    func validate() throws {
        if let k, k < 1 { throw ValidationError("--k must be at least 1") }
        if let threshold, !(threshold > 0 && threshold < 1) { throw ValidationError("--threshold is a probability strictly between 0 and 1") }
        if blockingPasses < 1 { throw ValidationError("--blocking-passes must be at least 1") }
        if classes < 2 || classes > 8 { throw ValidationError("--classes is between 2 and 8") }
        if maxValueGroup < 0 { throw ValidationError("--max-value-group is 0 (off) or more") }
        if !(minCosine >= 0 && minCosine <= 1) { throw ValidationError("--min-cosine is between 0 and 1") }
        if let blockSize, blockSize < 2 { throw ValidationError("--block-size must be at least 2") }
        if let delimiter, delimiterByte(delimiter) == nil { throw ValidationError("--delimiter is one ASCII character or 'tab', not \"\(delimiter)\"") }
        if k != nil && method != .kmeans { throw ValidationError("--k applies to --method kmeans") }
        if mixtureThreshold && threshold != nil { throw ValidationError("--threshold and --mixture-threshold both set the threshold; give one") }
        if format == .lines && labels != nil { throw ValidationError("--labels needs --format csv") }
    }

    func delimiterByte(_ text: String) -> UInt8? {
        if text == "tab" || text == "\\t" || text == "\t" { return 0x09 }
        guard text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80, byte != 0x22, byte != 0x0A, byte != 0x0D else { return nil }
        return byte
    }

    func run() throws {
        Interrupt.install()
        threadsOption.apply()
        if case .success(let world) = Job.world, world.size > 1 { return try runOnRanks(world) }
        let start = DispatchTime.now().uptimeNanoseconds
        let inputSize: Int
        var table: CSVTable
        do {
            let bytes = try CSVParser.readBytes(input)
            inputSize = bytes.count
            table = try parseTable(bytes)
        }
        let columns = try DedupColumns(table: table, fields: fields, labels: labels, file: input)
        let labelColumn = columns.labels, fieldColumns = columns.fields
        guard !table.rows.isEmpty else { throw InputError("no rows under the header", file: input) }
        let readSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        let options = dedupOptions
        // The deduplicator gets the only copy of the rows and lets it go once normalized; the file
        // is read again for the output (`outputParts`), so the run never holds the input beside its
        // own structures.
        let rows = table.rows
        table.rows = CSVRows()
        // Stages as they finish, on a terminal only (pipes and logs stay quiet).
        let result = try Deduplicator(options: options).run(rows: consume rows, fields: fieldColumns,
                                                            fieldNames: fieldColumns.map { table.header[$0] }) { stage, seconds in
            Terminal.progress(String(format: "%@ %.1f s", stage, seconds))
        }
        Terminal.progress(nil)

        let writeStart = DispatchTime.now().uptimeNanoseconds
        try DedupCommand.write(outputParts(&table, columns, clusterIDs: result.clusterIDs, inputSize: inputSize), to: output)
        let writeSeconds = Double(DispatchTime.now().uptimeNanoseconds - writeStart) / 1e9

        var lines = ["rows \(table.lines.count)" + (table.skipped.isEmpty ? "" : " (\(table.skipped.count) malformed rows skipped, first on line \(table.skipped[0].line): \(table.skipped[0].message))")]
        if let replaced = columns.replaced {
            lines.append("the input's \(table.header[replaced]) column (column \(replaced + 1)) was replaced by the new cluster ids")
        }
        lines += summary(of: result)
        if let labelColumn {
            let truth = table.rows.indices.map { ClusterMetrics.febrlEntity(table.rows.fieldText($0, labelColumn)) }
            let m = ClusterMetrics(predicted: result.clusterIDs, truth: truth)
            lines.append(String(format: "pairwise precision %.4f recall %.4f F1 %.4f (pairs predicted %d, true %d, correct %d)",
                                m.pairPrecision, m.pairRecall, m.pairF1, m.predictedPairs, m.truePairs, m.correctPairs))
            lines.append(String(format: "B-cubed precision %.4f recall %.4f F1 %.4f", m.bcubedPrecision, m.bcubedRecall, m.bcubedF1))
        }
        lines.append(timeLine(result, since: start, read: readSeconds, write: writeSeconds))
        for explanation in result.explanations {
            lines.append("")
            lines.append(String(format: "pair rows %d and %d: log-odds %.2f → %@", table.lines[explanation.rows.0], table.lines[explanation.rows.1],
                                explanation.logOdds, explanation.sameEntity ? "same entity" : "different"))
            if explanation.termFrequency != 0 {
                lines.append(String(format: "  term frequencies (common values agreed on): weight %+.2f", explanation.termFrequency))
            }
            for field in explanation.fields {
                let similarity = field.similarity.map { String(format: "%.3f", $0) } ?? "missing"
                let values = field.level == nil || !(field.left.isEmpty && field.right.isEmpty) ? "\"\(shown(field.left))\" | \"\(shown(field.right))\"  " : ""
                let bound = FieldComparator.maxComparedBytes
                let bounded = max(field.left.utf8.count, field.right.utf8.count) > bound && field.level != 0 ? " (first \(bound) bytes compared)" : ""
                lines.append(String(format: "  %@: %@similarity %@%@  weight %+.2f", field.name, values, similarity, bounded, field.weight))
            }
        }
        if let report {
            let page = DedupReport.html(result, table: table, fields: fieldColumns, title: (input as NSString).lastPathComponent,
                                        summary: lines.filter { !$0.isEmpty && !$0.hasPrefix("  ") && !$0.hasPrefix("pair rows") })
            try AtomicFile.write(page, to: report)
        }
        say(lines)
    }

    /// Writes the output's `parts` end to end to `output` (temporary file + rename) or to standard
    /// output, without joining them (at 10M rows the output is ≈ 0.9 GB).
    static func write(_ parts: [[UInt8]], to output: String?) throws {
        if let output { return try AtomicFile.write(parts, to: output) }
        for part in parts { part.withUnsafeBytes { FileHandle.standardOutput.write(Data($0)) } }
    }

    /// The input file, read again for the output, no longer holds the rows it held at the start.
    static func changedInput(_ input: String) -> InputError {
        InputError("the file changed while it was deduplicated (it is read again for the output); run again", file: input)
    }

    /// The output CSV of `table` (its rows let go) with `clusterIDs`, from the input file read again
    /// (`inputSize` bytes at first). A CSV file's records are copied from its bytes where they stand
    /// as written, and parsed again only where not; `--labels`, `--report` and `--format lines` need
    /// the rows back, so there the file is parsed again whole and `table` gets its rows.
    func outputParts(_ table: inout CSVTable, _ columns: DedupColumns, clusterIDs: [Int], inputSize: Int) throws -> [[UInt8]] {
        let bytes = try CSVParser.readBytes(input)
        guard bytes.count == inputSize else { throw DedupCommand.changedInput(input) }
        if format == .csv && labels == nil && report == nil {
            guard let parts = columns.outputCSVParts(table, clusterIDs: clusterIDs, from: bytes, parser: csvParser) else {
                throw DedupCommand.changedInput(input)
            }
            return parts
        }
        table = try parseTable(bytes)
        guard table.rows.count == clusterIDs.count else { throw DedupCommand.changedInput(input) }
        return columns.outputCSVParts(table, clusterIDs: clusterIDs)
    }

    /// The CSV parser of `--delimiter` and `--skip-bad-rows`.
    var csvParser: CSVParser { CSVParser(delimiter: delimiter.flatMap(delimiterByte), skipBadRows: skipBadRows) }

    /// The input file's `bytes` parsed (`--format`, `--delimiter`, `--skip-bad-rows`).
    func parseTable(_ bytes: [UInt8]) throws -> CSVTable {
        switch format {
        case .csv: return try csvParser.parse(bytes, file: input)
        case .lines: return try CSVParser.parseLines(bytes, file: input)
        }
    }

    /// The summary lines of the clusters and of the pipeline's counts, on one process or several.
    func summary(of result: DedupResult) -> [String] {
        let groups = result.duplicateGroupSizes
        let prior = result.model.map { String(format: "%.4g", $0.matchPrior) } ?? "-"
        var lines = ["clusters \(result.clusters), duplicate groups \(groups.count), rows in them \(groups.reduce(0, +)), largest group \(groups.first ?? 1)",
                     "method \(method.rawValue); \(result.exactDuplicates) exact duplicates; blocks \(result.blocks) of ≤ \(result.maxBlockSize) rows; pairs in blocks \(result.examinedPairs), scored \(result.candidatePairs) (trigram cosine ≥ \(minCosine)); matches \(result.positivePairs) (posterior > \(result.threshold), EM match prior \(prior))"]
        if let model = result.model {
            let shares = model.priors.indices.map { String(format: "%.3f", model.priors[$0]) + (model.isMatch[$0] ? " match" : "") }
            lines.append("pair model: \(model.classes) classes, shares \(shares.joined(separator: " / "))")
        }
        if let mixture = result.mixture {
            lines.append(String(format: "score mixture: non-matches around log-odds %.1f (%.0f%%), matches around %.1f (%.0f%%); equal at log-odds %.2f (posterior %.3f)%@",
                                mixture.means.0, 100 * mixture.weights.0, mixture.means.1, 100 * mixture.weights.1, mixture.logOdds, mixture.probability,
                                mixtureThreshold ? ", used as the threshold" : ""))
        }
        return lines
    }

    /// "time 1.23 s (read 0.10, normalize 0.20, …, write 0.05)": since `start`, then each stage;
    /// with `inCollectives` (one per stage, read to write), each stage's seconds inside MPI
    /// collectives beside it: "blocking and candidate pairs 3.46 [0.41 in collectives]".
    func timeLine(_ result: DedupResult, since start: UInt64, read: Double, write: Double, place: String = "",
                  inCollectives: [Double]? = nil) -> String {
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let stages = [("read", read)] + result.timings.map { ($0.stage, $0.seconds) } + [("write", write)]
        let texts = stages.indices.map { i in
            String(format: "%@ %.2f", stages[i].0, stages[i].1)
                + (inCollectives.map { $0[i] >= 0.005 ? String(format: " [%.2f in collectives]", $0[i]) : "" } ?? "")
        }
        return String(format: "time %.2f s%@ (", total, place) + texts.joined(separator: ", ") + ")"
    }

    /// Prints the summary: on standard output with --output, else on standard error (standard
    /// output carries the CSV).
    func say(_ lines: [String]) {
        let text = lines.map { $0 + "\n" }.joined()
        if output != nil { print(text, terminator: "") } else { Terminal.write(text) }
    }

    /// The library's options from the command line.
    var dedupOptions: DedupOptions {
        var options = DedupOptions()
        options.method = method
        options.k = k
        options.threshold = threshold
        options.mixtureThreshold = mixtureThreshold
        options.maxBlockSize = blockSize
        options.seed = seed
        options.blockingPasses = blockingPasses
        options.minCosine = minCosine
        options.maxValueGroup = maxValueGroup
        options.classes = classes
        options.termFrequencies = termFrequencies
        options.tokenSet = tokenSet
        options.recordLevel = recordLevel
        options.explain = explain ? 9 : 0
        options.report = report != nil
        return options
    }

    /// A field as `--explain` shows it: long values cut to 80 characters with their length.
    func shown(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(80)) + "… (\(text.utf8.count) bytes)"
    }
}

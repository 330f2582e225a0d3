import Foundation

/// Says which rows of a table are the same real-world entity.
///
/// 1. Normalize the chosen fields (`AddressNormalizer`) and merge rows whose normalized fields are
///    identical.
/// 2. Represent each distinct row as a hashed character-trigram TF-IDF vector (`NGramVectorizer`).
/// 3. Block by recursive k-means (`KMeansBlocking`), in `blockingPasses` seeded passes, and take every
///    pair inside a block whose vectors' cosine is at least `minCosine` as a candidate (`CandidatePairs`).
/// 4. Grade each field of each candidate pair (`FieldComparator`) and the whole record (cosine of the
///    trigram vectors, which ignores field order and so survives swapped fields), fit the Fellegi–Sunter model to
///    the level patterns by EM (`FellegiSunterModel`, no labels), and turn each pair's posterior
///    log-odds minus logit(threshold) into a signed similarity.
/// 5. Group by the chosen method: correlation clustering over the signed pairs (default),
///    agglomerative clustering, or k-means / a Gaussian mixture on the vectors.
public struct Deduplicator: Sendable {
    public var options: DedupOptions
    let normalizer: AddressNormalizer
    let comparator = FieldComparator()

    public init(options: DedupOptions = DedupOptions()) throws {
        self.options = options
        normalizer = try AddressNormalizer()
    }

    /// Deduplicates `rows` on the columns `fields` (named `fieldNames` in explanations). `progress`
    /// hears the name and seconds of each stage as it finishes.
    public func run(rows: [[String]], fields: [Int], fieldNames: [String]? = nil,
                    progress: ((String, Double) -> Void)? = nil) throws -> DedupResult {
        var clock = Stopwatch(progress: progress)
        let records = NormalizedRecords(rows: rows, fields: fields, normalizer: normalizer)
        clock.lap("normalize")

        // Exact duplicates after normalization share one representative.
        let (representatives, representativeOf) = Deduplicator.collapseExact(records)
        clock.lap("exact duplicates")

        let vectors = NGramVectorizer(saltFields: false).vectors(records, rows: representatives)
        clock.lap("vectorize")

        let n = representatives.count
        let blockSize = options.blockSize(rows: n)
        var blocks: [[Int]] = []
        var firstPassBlocks = 0
        for pass in 0..<max(1, options.blockingPasses) {
            let blocking = KMeansBlocking(maxBlockSize: blockSize, seed: options.seed &+ UInt64(pass) &* 7919)
            let passBlocks = blocking.blocks(vectors)
            if pass == 0 { firstPassBlocks = passBlocks.count }
            blocks += passBlocks
        }
        clock.lap("k-means blocking")
        let candidates = CandidatePairs(blocks: blocks, vectors: vectors, minCosine: options.minCosine)
        blocks = []
        let pairs = candidates.pairs, cosines = candidates.cosines
        clock.lap("candidate pairs")

        // Level pattern of every pair, as a base-(levels + 1) code.
        let fieldCount = fields.count
        let modelFields = fieldCount + 1  // the fields and the whole record
        let base = UInt64(comparator.levels + 1)
        precondition(pow(Double(base), Double(modelFields)) < 1.8e19, "too many fields for a 64-bit pattern code")
        var codes = [UInt64](repeating: 0, count: pairs.count)
        let chunks = max(1, min(pairs.count / 4096, ProcessInfo.processInfo.activeProcessorCount * 8))
        var partialCounts = [[UInt64: Int]](repeating: [:], count: chunks)
        let recordLevels = [0.95, 0.85, 0.7, 0.5]  // then below 0.5 (down to minCosine)
        codes.withUnsafeMutableBufferPointer { codes in
        partialCounts.withUnsafeMutableBufferPointer { partialCounts in
        records.bytes.withUnsafeBufferPointer { bytes in
        records.offsets.withUnsafeBufferPointer { offsets in
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var counts: [UInt64: Int] = [:]
                for index in NormalizedRecords.chunk(chunk, of: chunks, count: pairs.count) {
                    let x = Int(pairs[index] >> 32), y = Int(pairs[index] & 0xFFFF_FFFF)
                    let a = representatives[x] * fieldCount, b = representatives[y] * fieldCount
                    var code: UInt64 = 0
                    for f in 0..<fieldCount {
                        let left = UnsafeBufferPointer(rebasing: bytes[offsets[a + f]..<offsets[a + f + 1]])
                        let right = UnsafeBufferPointer(rebasing: bytes[offsets[b + f]..<offsets[b + f + 1]])
                        code = code * base + UInt64(comparator.level(left, right))
                    }
                    // The whole record, field order ignored: cosine of the unsalted trigram vectors.
                    let cosine = cosines[index]
                    var level = recordLevels.count
                    for (l, threshold) in recordLevels.enumerated() where Double(cosine) >= threshold { level = l; break }
                    code = code * base + UInt64(level)
                    codes[index] = code
                    counts[code, default: 0] += 1
                }
                partialCounts[chunk] = counts
            }
        }}}}
        var patternCounts: [UInt64: Int] = [:]
        for counts in partialCounts { patternCounts.merge(counts, uniquingKeysWith: +) }
        clock.lap("compare pairs")

        let distinct = Array(patternCounts.keys).sorted()
        let patterns = distinct.map { Deduplicator.decode($0, base: base, fields: modelFields) }
        var model = FellegiSunterModel(fields: modelFields, levels: comparator.levels)
        model.fit(patterns: patterns, counts: distinct.map { Double(patternCounts[$0]!) })
        let threshold = options.threshold ?? 0.5
        let offset = log(threshold / (1 - threshold))
        var weightOf: [UInt64: Double] = [:]
        for (code, pattern) in zip(distinct, patterns) { weightOf[code] = model.logOdds(pattern) - offset }
        clock.lap("EM pair model")

        // Only edges inside a component of positive edges can matter to the clustering.
        var parent = Array(0..<n)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var positivePairs = 0
        for (index, pair) in pairs.enumerated() where weightOf[codes[index]]! > 0 {
            positivePairs += 1
            let a = find(Int(pair >> 32)), b = find(Int(pair & 0xFFFF_FFFF))
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var graph = SignedGraph(count: n)
        for (index, pair) in pairs.enumerated() {
            let a = Int(pair >> 32), b = Int(pair & 0xFFFF_FFFF)
            if find(a) == find(b) { graph.addEdge(a, b, weightOf[codes[index]]!) }
        }
        var labels = CorrelationClustering(seed: options.seed).cluster(graph)
        clock.lap("correlation clustering")

        switch options.method {
        case .correlation:
            break
        case .agglomerative:
            guard let agglomerative = AgglomerativeClustering().cluster(graph) else {
                throw DedupError("agglomerative clustering is for small inputs: a group of linked rows has more than 3000 rows; use --method correlation")
            }
            labels = agglomerative
            clock.lap("agglomerative clustering")
        case .kmeans, .gmm:
            let k = min(n, options.k ?? Set(labels).count)
            labels = try clusterVectors(records, representatives: representatives, k: k)
            clock.lap("\(options.method.rawValue) clustering")
        }

        // Back to rows, ids by first appearance.
        var idOf: [Int: Int] = [:]
        var clusterIDs = [Int](repeating: 0, count: rows.count)
        for row in 0..<rows.count {
            let label = labels[representativeOf[row]]
            if let id = idOf[label] { clusterIDs[row] = id } else { idOf[label] = idOf.count; clusterIDs[row] = idOf.count - 1 }
        }
        let names = fieldNames ?? fields.map { "field \($0)" }
        let explanations = explain(pairs: pairs, cosines: cosines, codes: codes, weightOf: weightOf, records: records, vectors: vectors,
                                   representatives: representatives, model: model, offset: offset, names: names)
        return DedupResult(clusterIDs: clusterIDs, exactDuplicates: rows.count - n, blocks: firstPassBlocks,
                           maxBlockSize: blockSize, candidatePairs: pairs.count, examinedPairs: candidates.examined, model: model, threshold: threshold,
                           positivePairs: positivePairs, timings: clock.laps, explanations: explanations)
    }

    /// Distinct rows (first of each group of identical normalized rows) and each row's group. Rows
    /// whose fields are all empty say nothing and stay apart.
    static func collapseExact(_ records: NormalizedRecords) -> (representatives: [Int], representativeOf: [Int]) {
        var hashes = [UInt64](repeating: 0, count: records.count)
        for row in 0..<records.count {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for f in 0..<records.fieldCount {
                for byte in records.field(row, f) { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
                h = (h ^ 0xFF) &* 0x0000_0100_0000_01B3
            }
            hashes[row] = h
        }
        var firstWithHash: [UInt64: [Int]] = [:]
        var representatives: [Int] = []
        var representativeOf = [Int](repeating: 0, count: records.count)
        for row in 0..<records.count {
            if records.record(row).isEmpty {  // nothing to compare: its own entity
                representativeOf[row] = representatives.count
                representatives.append(row)
                continue
            }
            if let candidates = firstWithHash[hashes[row]], let same = candidates.first(where: { records.sameRecord(representatives[$0], row) }) {
                representativeOf[row] = same
            } else {
                representativeOf[row] = representatives.count
                firstWithHash[hashes[row], default: []].append(representatives.count)
                representatives.append(row)
            }
        }
        return (representatives, representativeOf)
    }

    static func decode(_ code: UInt64, base: UInt64, fields: Int) -> [UInt8] {
        var pattern = [UInt8](repeating: 0, count: fields)
        var code = code
        for f in stride(from: fields - 1, through: 0, by: -1) { pattern[f] = UInt8(code % base); code /= base }
        return pattern
    }

    /// k-means or a Gaussian mixture on the representatives' vectors; a label per representative.
    func clusterVectors(_ records: NormalizedRecords, representatives: [Int], k: Int) throws -> [Int] {
        let n = representatives.count
        switch options.method {
        case .kmeans:
            // Keep the (D, k) centroid table within 64 M floats (256 MB).
            var dimension = 1 << 14
            while dimension > 1 << 10 && dimension * k > 1 << 26 { dimension >>= 1 }
            let vectors = NGramVectorizer(dimension: dimension).vectors(records, rows: representatives)
            return KMeans(k: max(1, k), restarts: n * k > 10_000_000 ? 1 : 3, seed: options.seed).fit(vectors).assignments.map(Int.init)
        default:
            guard n * k <= 50_000_000 else {
                throw DedupError("--method gmm is for small inputs (rows × k ≤ 50 million, here \(n) × \(k)); use --method correlation")
            }
            let vectors = NGramVectorizer().vectors(records, rows: representatives)
            let projected = RandomProjection(inputDimension: vectors.dimension, outputDimension: 16, seed: options.seed).project(vectors)
            return GaussianMixture(k: max(1, k), maxIterations: 30, seed: options.seed).fit(projected, dimension: 16).assignments
        }
    }

    /// Up to `options.explain` pairs: the strongest matches, the closest calls and clear non-matches.
    func explain(pairs: [UInt64], cosines: [Float], codes: [UInt64], weightOf: [UInt64: Double], records: NormalizedRecords, vectors: SparseRows,
                 representatives: [Int], model: FellegiSunterModel, offset: Double, names: [String]) -> [PairExplanation] {
        guard options.explain > 0, !pairs.isEmpty else { return [] }
        let order = pairs.indices.sorted { weightOf[codes[$0]]! > weightOf[codes[$1]]! }
        let third = max(1, options.explain / 3)
        var chosen: [Int] = Array(order.prefix(third))
        let close = order.indices.min { abs(weightOf[codes[order[$0]]]!) < abs(weightOf[codes[order[$1]]]!) }!
        chosen += order[max(0, close - third / 2)..<min(order.count, close - third / 2 + third)]
        chosen += order.suffix(max(0, options.explain - chosen.count))
        var seen = Set<Int>()
        return chosen.filter { seen.insert($0).inserted }.prefix(options.explain).map { index in
            let a = representatives[Int(pairs[index] >> 32)], b = representatives[Int(pairs[index] & 0xFFFF_FFFF)]
            let fields = (0..<records.fieldCount).map { f -> (name: String, left: String, right: String, similarity: Double?, level: Int?, weight: Double) in
                let x = records.field(a, f), y = records.field(b, f)
                let level = comparator.level(x, y)
                let missing = level == comparator.missing
                return (names[f], records.text(a, f), records.text(b, f), missing ? nil : comparator.similarity(x, y),
                        missing ? nil : Int(level), missing ? 0 : model.weight(field: f, level: Int(level)))
            }
            let recordLevel = Int(codes[index] % UInt64(comparator.levels + 1))
            let cosine = Double(cosines[index])
            let record = (name: "whole record (trigram cosine, any field order)", left: "", right: "", similarity: Optional(cosine),
                          level: Optional(recordLevel), weight: model.weight(field: records.fieldCount, level: recordLevel))
            let weight = weightOf[codes[index]]!
            return PairExplanation(rows: (a, b), fields: fields + [record], logOdds: weight + offset, sameEntity: weight > 0)
        }
    }
}

/// A deduplication request that cannot be carried out (the message says what to do instead).
public struct DedupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Wall-clock laps.
struct Stopwatch {
    var progress: ((String, Double) -> Void)?
    var last = DispatchTime.now().uptimeNanoseconds
    var laps: [(stage: String, seconds: Double)] = []

    mutating func lap(_ stage: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps.append((stage, Double(now - last) / 1e9))
        progress?(stage, laps.last!.seconds)
        last = now
    }
}

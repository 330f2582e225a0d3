import XCTest
@testable import Deduplication

final class DeduplicatorTests: XCTestCase {
    /// 40 distinct people and 15 messy copies (abbreviations, typos, case, a swapped pair of fields,
    /// a missing field). Columns: name, street, city, zip; truth in `entities`.
    static func smallTable() -> (rows: [[String]], entities: [Int]) {
        let first = ["anna", "ben", "carla", "dmitri", "eva", "farid", "greta", "hugo", "ines", "jonas"]
        let last = ["smith", "okafor", "lindqvist", "moreau"]
        let streets = ["oak", "main", "river", "hill", "elm", "park", "lake", "cedar", "mill", "bay"]
        let types = [("street", "st"), ("road", "rd"), ("avenue", "ave"), ("drive", "dr")]
        let cities = ["springfield", "riverside", "fairview", "kingston", "dover"]
        var rows: [[String]] = [], entities: [Int] = []
        for e in 0..<40 {
            let type = types[e % 4]
            rows.append(["\(first[e % 10]) \(last[e / 10])", "\(10 + e * 7) \(streets[(e * 3) % 10]) \(type.0)", cities[e % 5], String(10000 + e * 37)])
            entities.append(e)
        }
        var generator = SplitMix64(seed: 5)
        for copy in 0..<15 {
            let e = Int(generator.next() % 40)
            var row = rows[e]
            switch copy % 5 {
            case 0: row[1] = row[1].replacingOccurrences(of: types[e % 4].0, with: types[e % 4].1 + ".")
            case 1: row[0] = row[0].uppercased(); row[2] = String(row[2].dropLast())
            case 2: row[0] = String(row[0].split(separator: " ").reversed().joined(separator: ", "))
            case 3: row[2] = ""
            default: row[3] = String(row[3].prefix(3)) + String(row[3].suffix(2).reversed())
            }
            rows.append(row)
            entities.append(e)
        }
        return (rows, entities)
    }

    func testDefaultPipelineFindsTheCopiesWithoutLabels() throws {
        let (rows, entities) = Self.smallTable()
        let result = try Deduplicator().run(rows: rows, fields: [0, 1, 2, 3])
        let metrics = ClusterMetrics(predicted: result.clusterIDs, truth: entities)
        XCTAssertGreaterThanOrEqual(metrics.pairF1, 0.9, "\(metrics)")
        XCTAssertEqual(result.clusterIDs[0], 0, "ids follow first appearance")
        XCTAssertEqual(result.clusterIDs.count, rows.count)
    }

    func testOtherMethodsRunOnTheSameData() throws {
        let (rows, entities) = Self.smallTable()
        for method in [ClusteringMethod.agglomerative, .kmeans] {
            var options = DedupOptions()
            options.method = method
            let result = try Deduplicator(options: options).run(rows: rows, fields: [0, 1, 2, 3])
            let metrics = ClusterMetrics(predicted: result.clusterIDs, truth: entities)
            XCTAssertGreaterThan(metrics.bcubedF1, 0.8, "\(method): \(metrics)")
        }
    }

    func testExactDuplicatesAndExplanations() throws {
        let rows = [["1 Main St", "Dover"], ["1 main street", "DOVER"], ["2 Oak Rd", "Kent"], ["9 Elm Dr", "Kent"], ["", " "], ["", ""]]
        var options = DedupOptions()
        options.explain = 3
        let result = try Deduplicator(options: options).run(rows: rows, fields: [0, 1], fieldNames: ["street", "city"])
        XCTAssertEqual(result.exactDuplicates, 1)
        XCTAssertEqual(result.clusterIDs[0], result.clusterIDs[1])
        XCTAssertNotEqual(result.clusterIDs[2], result.clusterIDs[3])
        XCTAssertNotEqual(result.clusterIDs[4], result.clusterIDs[5], "empty rows are not one entity")
        XCTAssertTrue(result.explanations.allSatisfy { $0.fields.count == 3 && $0.fields[0].name == "street" })
    }

    /// Febrl dataset `number` deduplicated with default options on the README's fields (not the
    /// social-security id); skips when ../shared/data/febrl is absent.
    static func febrl(_ number: Int) throws -> (result: DedupResult, metrics: ClusterMetrics) {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/data/febrl/dataset\(number).csv").standardized.path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("Febrl data not at \(path)") }
        let table = try CSVParser().parse(contentsOf: path)
        let names = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state", "date_of_birth"]
        let result = try Deduplicator().run(rows: table.rows, fields: names.map { table.column(named: $0)! })
        let truth = table.rows.map { ClusterMetrics.febrlEntity($0[table.column(named: "rec_id")!]) }
        return (result, ClusterMetrics(predicted: result.clusterIDs, truth: truth))
    }

    /// Febrl dataset 1 (1,000 records, 500 duplicate pairs), unsupervised.
    func testFebrlDatasetOneF1() throws {
        let metrics = try Self.febrl(1).metrics
        XCTAssertGreaterThanOrEqual(metrics.pairF1, 0.97, "\(metrics)")
    }
}

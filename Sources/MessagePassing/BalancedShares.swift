/// Cuts items 0..<costs.count, in order, into `parts` consecutive ranges of about equal total cost
/// (a data-parallel rank's share of a batch: sentence pairs weighed by their tokens). Item i goes to
/// the part that holds the midpoint of its cost on the line of cumulative costs, so the ranges are
/// consecutive and cover every item; a part may be empty (fewer items than parts, or one huge item).
/// Zero total cost splits by count.
///
///     balancedShares(costs: [4, 4, 1, 1, 1, 1], parts: 2) == [0..<1, 1..<6]   (midpoints 2, 6, 8.5, …; half 6)
public func balancedShares(costs: [Int], parts: Int) -> [Range<Int>] {
    precondition(parts > 0 && costs.allSatisfy { $0 >= 0 })
    let total = costs.reduce(0, +)
    var owner: [Int] = []
    owner.reserveCapacity(costs.count)
    var before = 0
    for (i, cost) in costs.enumerated() {
        // part = ⌊(before + cost/2) · parts / total⌋ in integers; by position when nothing costs.
        let part = total > 0 ? (2 * before + cost) * parts / (2 * total) : i * parts / max(costs.count, 1)
        owner.append(min(part, parts - 1))
        before += cost
    }
    var starts = [Int](repeating: costs.count, count: parts + 1)
    for p in stride(from: parts - 1, through: 0, by: -1) {
        starts[p] = owner.firstIndex { $0 >= p } ?? costs.count
    }
    return (0..<parts).map { starts[$0] ..< max(starts[$0], starts[$0 + 1]) }
}

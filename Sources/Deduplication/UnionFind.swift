/// Disjoint sets over 0..<n (path halving; the smaller root becomes the parent, so a set's root is
/// never larger than its members).
public struct UnionFind: Sendable {
    private var parent: [Int]

    public init(count: Int) { parent = Array(0..<count) }

    /// The root of `x`'s set.
    public mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
        return x
    }

    /// Puts `a` and `b` in one set.
    public mutating func union(_ a: Int, _ b: Int) {
        let a = find(a), b = find(b)
        if a != b { parent[max(a, b)] = min(a, b) }
    }
}

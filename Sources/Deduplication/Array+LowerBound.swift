extension Array where Element == Int {
    /// The index of the first element not below `value` in this ascending array (a binary search;
    /// `count` when every element is below it).
    func lowerBound(_ value: Int) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

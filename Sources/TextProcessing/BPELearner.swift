/// Learns byte-pair encoding merges (Sennrich et al. 2016) from word counts and writes byte for byte
/// the codes subword-nmt 0.3.8 `learn-bpe -s merges --min-frequency minFrequency` writes for the
/// same words. Each step merges the most frequent adjacent pair of symbols; among equally frequent
/// pairs the greatest `(left, right)` in code point order wins (Python's `max` over
/// `(frequency, pair)`); learning stops after `merges` steps or when no pair reaches
/// `minFrequency`.
///
/// subword-nmt keeps a pruned table of pair counts for speed and re-reads the full table when the
/// best pruned pair falls below a threshold; the counts it sees are not always the true ones (a
/// pruned pair that gains occurrences again is remembered with the gain alone). Glossa replays that
/// bookkeeping exactly, so its choices are subword-nmt's, but finds the best pair with a priority
/// queue and updates only the words that hold the merged pair (an index from pairs to words) instead
/// of scanning the table each step.
public struct BPELearner {
    /// The number of merges to learn (learn-bpe's `-s`).
    public var merges: Int
    /// Stop when no pair occurs this often (learn-bpe's `--min-frequency`).
    public var minFrequency: Int

    public init(merges: Int, minFrequency: Int = 2) {
        self.merges = merges
        self.minFrequency = minFrequency
    }

    /// The codes learned from words with their counts (each word once; no spaces in words).
    public func learn(words: [(word: String, count: Int)]) -> BPECodes {
        let counts = TokenCounts()
        for (word, count) in words { counts.add(word, times: count) }
        return learn(counts: counts)
    }

    /// The codes learned from counted words.
    public func learn(counts: TokenCounts) -> BPECodes {
        let state = BPELearnerState(counts: counts)
        return BPECodes(merges: state.run(merges: merges, minFrequency: minFrequency))
    }
}

/// learn-bpe's data: words as symbol ids, pair statistics (`stats`, pruned, and `big_stats`),
/// the index from pairs to the words that hold them, and a max-heap over `stats`.
private final class BPELearnerState {
    // Symbols: strings interned as ids; whether a symbol holds a character Python calls white space.
    private let symbols = TokenTable(capacity: 1 << 14)
    private var symbolHasSpace: [Bool] = []

    // Words: symbols of word w are wordSymbols[wordStart[w] ..< wordStart[w] + wordLength[w]].
    private var wordSymbols: [Int32] = []
    private var wordStart: [Int] = []
    private var wordLength: [Int] = []
    private var wordCount: [Int] = []

    // Pairs, by dense id.
    private var pairIDs: [UInt64: Int32] = [:]
    private var pairLeft: [Int32] = []
    private var pairRight: [Int32] = []
    /// learn-bpe's `stats` (a pruned dict): whether the pair is a key, and its value.
    private var inStats: [Bool] = []
    private var statsValue: [Int] = []
    /// learn-bpe's `big_stats`.
    private var inBig: [Bool] = []
    private var bigValue: [Int] = []
    /// learn-bpe's `indices`: for each pair, word -> occurrences (as Python counts them).
    private var occurrences: [[Int32: Int32]] = []
    /// The keys of `stats`.
    private var live: [Int32] = []

    /// Max-heap of (value, pair); an entry is current when the pair is in stats with that value.
    private var heap: [(value: Int, pair: Int32)] = []
    private var dirty: [Int32] = []
    private var dirtyMark: [Bool] = []

    private var scratch: [UInt8] = []
    private var oldWord: [Int32] = []
    private var newWord: [Int32] = []

    init(counts: TokenCounts) {
        // get_vocabulary + the </w> on each word's last character.
        let endOfWord: [UInt8] = Array(BPECodes.endOfWord.utf8)
        for index in 0..<counts.types {
            let word = counts.table.key(index)
            let count = counts.counts[index]
            var starts: [Int] = []
            for (i, byte) in word.enumerated() where byte & 0xC0 != 0x80 { starts.append(i) }
            guard !starts.isEmpty else { continue }
            starts.append(word.count)
            let bytes = Array(word)
            wordStart.append(wordSymbols.count)
            wordLength.append(starts.count - 1)
            wordCount.append(count)
            for k in 0..<(starts.count - 1) {
                var symbol = Array(bytes[starts[k]..<starts[k + 1]])
                if k == starts.count - 2 { symbol.append(contentsOf: endOfWord) }
                wordSymbols.append(intern(symbol))
            }
        }
        // get_pair_statistics.
        for w in 0..<wordCount.count {
            let start = wordStart[w]
            for k in start..<(start + wordLength[w] - 1) {
                let p = pair(wordSymbols[k], wordSymbols[k + 1])
                statsAdd(p, wordCount[w])
                occurrences[Int(p)][Int32(w), default: 0] += 1
            }
        }
        // big_stats = deepcopy(stats)
        for p in live {
            inBig[Int(p)] = true
            bigValue[Int(p)] = statsValue[Int(p)]
        }
    }

    /// learn-bpe's main loop; returns the merges in order.
    func run(merges: Int, minFrequency: Int) -> [BPECodes.Merge] {
        var result: [BPECodes.Merge] = []
        guard !live.isEmpty else { return result }  // learn-bpe fails here: no word has two characters
        var threshold = Double(live.map { statsValue[Int($0)] }.max()!) / 10
        for i in 0..<max(0, merges) {
            var best: Int32 = -1
            if !live.isEmpty { best = top() }
            if live.isEmpty || (i > 0 && Double(statsValue[Int(best)]) < threshold) {
                prune(threshold)
                reload()
                best = top()
                threshold = Double(statsValue[Int(best)] * i) / (Double(i) + 10000.0)
                prune(threshold)
            }
            if stats(best) < minFrequency { break }
            result.append(BPECodes.Merge(symbols.string(Int(pairLeft[Int(best)])), symbols.string(Int(pairRight[Int(best)]))))
            mergePair(best)
            statsSet(best, 0)
            if i % 100 == 0 { prune(threshold) }
        }
        return result
    }

    // MARK: learn-bpe's dictionaries

    /// `stats[p]` (a defaultdict: reading a missing key adds it with 0).
    private func stats(_ p: Int32) -> Int {
        if !inStats[Int(p)] { statsSet(p, 0) }
        return statsValue[Int(p)]
    }

    /// `stats[p] += delta`.
    @inline(__always)
    private func statsAdd(_ p: Int32, _ delta: Int) {
        let i = Int(p)
        if !inStats[i] {
            inStats[i] = true
            statsValue[i] = 0
            live.append(p)
        }
        statsValue[i] += delta
        markDirty(p)
    }

    /// `stats[p] = value`.
    private func statsSet(_ p: Int32, _ value: Int) {
        statsAdd(p, value - (inStats[Int(p)] ? statsValue[Int(p)] : 0))
    }

    /// `prune_stats`: keys of stats below `threshold` move to big_stats (a negative value is a
    /// change to add, any other replaces what big_stats had).
    private func prune(_ threshold: Double) {
        var kept: [Int32] = []
        kept.reserveCapacity(live.count)
        for p in live {
            let i = Int(p)
            let value = statsValue[i]
            if Double(value) < threshold {
                inStats[i] = false
                if value < 0 {
                    if !inBig[i] { inBig[i] = true; bigValue[i] = 0 }
                    bigValue[i] += value
                } else {
                    inBig[i] = true
                    bigValue[i] = value
                }
            } else {
                kept.append(p)
            }
        }
        live = kept
    }

    /// `stats = copy.deepcopy(big_stats)`.
    private func reload() {
        for p in live { inStats[Int(p)] = false }
        live.removeAll(keepingCapacity: true)
        for i in 0..<inBig.count where inBig[i] {
            inStats[i] = true
            statsValue[i] = bigValue[i]
            live.append(Int32(i))
        }
        heap.removeAll(keepingCapacity: true)
        for p in dirty { dirtyMark[Int(p)] = false }
        dirty.removeAll(keepingCapacity: true)
        for p in live { heap.append((statsValue[Int(p)], p)) }
        heapify()
    }

    // MARK: symbols and pairs

    private func intern(_ bytes: [UInt8]) -> Int32 {
        let id = bytes.withUnsafeBytes { symbols.insert($0) }
        if id == symbolHasSpace.count {
            symbolHasSpace.append(BPELearnerState.hasPythonSpace(bytes))
        }
        return Int32(id)
    }

    /// The symbol `left + right`.
    private func concatenation(_ left: Int32, _ right: Int32) -> Int32 {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: symbols.key(Int(left)))
        scratch.append(contentsOf: symbols.key(Int(right)))
        return intern(scratch)
    }

    @inline(__always)
    private func pair(_ left: Int32, _ right: Int32) -> Int32 {
        let key = UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
        if let id = pairIDs[key] { return id }
        let id = Int32(pairLeft.count)
        pairIDs[key] = id
        pairLeft.append(left)
        pairRight.append(right)
        inStats.append(false)
        statsValue.append(0)
        inBig.append(false)
        bigValue.append(0)
        occurrences.append([:])
        dirtyMark.append(false)
        return id
    }

    /// Whether UTF-8 `bytes` hold a character for which Python's `str.isspace()` is true.
    static func hasPythonSpace(_ bytes: [UInt8]) -> Bool {
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            switch scalar.value {
            case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
                return true
            default:
                continue
            }
        }
        return false
    }

    // MARK: one merge

    /// `replace_pair` and `update_pair_statistics` for the pair `best`.
    private func mergePair(_ best: Int32) {
        let first = pairLeft[Int(best)], second = pairRight[Int(best)]
        let merged = concatenation(first, second)
        let words = occurrences[Int(best)].compactMap { $0.value >= 1 ? $0.key : nil }
        statsSet(best, 0)
        occurrences[Int(best)] = [:]
        for w in words {
            let start = wordStart[Int(w)], length = wordLength[Int(w)]
            oldWord.removeAll(keepingCapacity: true)
            oldWord.append(contentsOf: wordSymbols[start..<(start + length)])
            replace(first, second, in: oldWord, into: &newWord)
            for k in 0..<newWord.count { wordSymbols[start + k] = newWord[k] }
            wordLength[Int(w)] = newWord.count
            update(first, second, merged, word: w, count: wordCount[Int(w)])
        }
    }

    /// replace_pair's regular expression `(?<!\S)first second(?!\S)` over the symbols joined by spaces,
    /// then split at spaces again. With no white space inside symbols this merges each adjacent
    /// (first, second) left to right; a symbol holding white space can also match part of a symbol.
    private func replace(_ first: Int32, _ second: Int32, in old: [Int32], into out: inout [Int32]) {
        out.removeAll(keepingCapacity: true)
        let n = old.count
        guard n > 1 else { out.append(contentsOf: old); return }
        let firstLength = symbols.key(Int(first)).count, secondLength = symbols.key(Int(second)).count
        var joined = [Bool](repeating: false, count: n - 1)
        var offset = 0          // byte offset of old[k] in the joined text
        var lastEnd = -1        // end of the last match
        var any = false
        for k in 0..<(n - 1) {
            let a = old[k], b = old[k + 1]
            let aLength = symbols.key(Int(a)).count
            let separator = offset + aLength
            defer { offset = separator + 1 }
            let matches: Bool
            if !symbolHasSpace[Int(a)] && !symbolHasSpace[Int(b)] {
                matches = a == first && b == second
            } else {
                matches = endsWithMatch(a, first) && startsWithMatch(b, second)
            }
            let start = separator - firstLength
            if matches && start >= lastEnd {
                joined[k] = true
                lastEnd = separator + 1 + secondLength
                any = true
            }
        }
        guard any else { out.append(contentsOf: old); return }
        var k = 0
        while k < n {
            if k < n - 1 && joined[k] {
                var end = k + 1
                while end < n - 1 && joined[end] { end += 1 }
                if end == k + 1 && old[k] == first && old[k + 1] == second {
                    out.append(concatenation(first, second))
                } else {
                    scratch.removeAll(keepingCapacity: true)
                    for s in k...end { scratch.append(contentsOf: symbols.key(Int(old[s]))) }
                    out.append(intern(scratch))
                }
                k = end + 1
            } else {
                out.append(old[k])
                k += 1
            }
        }
    }

    /// Whether symbol `a` ends with `first` preceded by white space or nothing (the regex's
    /// `(?<!\S)first`).
    private func endsWithMatch(_ a: Int32, _ first: Int32) -> Bool {
        if a == first { return true }
        let text = Array(symbols.key(Int(a))), suffix = Array(symbols.key(Int(first)))
        guard text.count > suffix.count, Array(text[(text.count - suffix.count)...]) == suffix else { return false }
        let before = String(decoding: text[..<(text.count - suffix.count)], as: UTF8.self).unicodeScalars.last!
        return BPELearnerState.hasPythonSpace(Array(String(before).utf8))
    }

    /// Whether symbol `b` starts with `second` followed by white space or nothing (`second(?!\S)`).
    private func startsWithMatch(_ b: Int32, _ second: Int32) -> Bool {
        if b == second { return true }
        let text = Array(symbols.key(Int(b))), prefix = Array(symbols.key(Int(second)))
        guard text.count > prefix.count, Array(text[..<prefix.count]) == prefix else { return false }
        let after = String(decoding: text[prefix.count...], as: UTF8.self).unicodeScalars.first!
        return BPELearnerState.hasPythonSpace(Array(String(after).utf8))
    }

    /// `update_pair_statistics` for one changed word (`oldWord` -> `newWord`), line by line.
    private func update(_ first: Int32, _ second: Int32, _ merged: Int32, word w: Int32, count freq: Int) {
        let old = oldWord, new = newWord
        var i = 0
        while let found = old[i...].firstIndex(of: first) {
            i = found
            if i < old.count - 1 && old[i + 1] == second {
                if i > 0 {
                    let prev = pair(old[i - 1], old[i])
                    statsAdd(prev, -freq)
                    occurrences[Int(prev)][w, default: 0] -= 1
                }
                if i < old.count - 2 {
                    if old[i + 2] != first || i >= old.count - 3 || old[i + 3] != second {
                        let next = pair(old[i + 1], old[i + 2])
                        statsAdd(next, -freq)
                        occurrences[Int(next)][w, default: 0] -= 1
                    }
                }
                i += 2
            } else {
                i += 1
            }
            if i >= old.count { break }
        }
        i = 0
        while i < new.count, let found = new[i...].firstIndex(of: merged) {
            i = found
            if i > 0 {
                let prev = pair(new[i - 1], new[i])
                statsAdd(prev, freq)
                occurrences[Int(prev)][w, default: 0] += 1
            }
            if i < new.count - 1 && new[i + 1] != merged {
                let next = pair(new[i], new[i + 1])
                statsAdd(next, freq)
                occurrences[Int(next)][w, default: 0] += 1
            }
            i += 1
        }
    }

    // MARK: the heap over stats

    @inline(__always)
    private func markDirty(_ p: Int32) {
        if !dirtyMark[Int(p)] {
            dirtyMark[Int(p)] = true
            dirty.append(p)
        }
    }

    /// The key of stats with the greatest (value, pair), as Python's `max` picks it.
    private func top() -> Int32 {
        for p in dirty {
            dirtyMark[Int(p)] = false
            if inStats[Int(p)] { push((statsValue[Int(p)], p)) }
        }
        dirty.removeAll(keepingCapacity: true)
        if heap.count > 4 * live.count + 4096 {
            heap = live.map { (statsValue[Int($0)], $0) }
            heapify()
        }
        while let entry = heap.first {
            if inStats[Int(entry.pair)] && statsValue[Int(entry.pair)] == entry.value { return entry.pair }
            popTop()
        }
        preconditionFailure("the heap lost a key of stats")
    }

    /// Whether entry a comes before b: greater value, then greater (left, right) by code points.
    @inline(__always)
    private func above(_ a: (value: Int, pair: Int32), _ b: (value: Int, pair: Int32)) -> Bool {
        if a.value != b.value { return a.value > b.value }
        if a.pair == b.pair { return false }
        let left = compare(pairLeft[Int(a.pair)], pairLeft[Int(b.pair)])
        if left != 0 { return left > 0 }
        return compare(pairRight[Int(a.pair)], pairRight[Int(b.pair)]) > 0
    }

    /// Symbols compared by code points (UTF-8 byte order): negative, zero or positive.
    @inline(__always)
    private func compare(_ a: Int32, _ b: Int32) -> Int { a == b ? 0 : symbols.compare(Int(a), Int(b)) }

    private func push(_ entry: (value: Int, pair: Int32)) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard above(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func popTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private func siftDown(_ start: Int) {
        var parent = start
        let n = heap.count
        while true {
            let left = 2 * parent + 1
            if left >= n { return }
            var best = left
            if left + 1 < n && above(heap[left + 1], heap[left]) { best = left + 1 }
            guard above(heap[best], heap[parent]) else { return }
            heap.swapAt(best, parent)
            parent = best
        }
    }

    private func heapify() {
        guard heap.count > 1 else { return }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
    }
}

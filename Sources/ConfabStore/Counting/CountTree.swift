/// The arithmetic of the counted trees behind `total_entries` (docs/exact-counts.md).
///
/// One tree per ordering (a list, a field, maybe a dialog) counts rows by key: unix seconds of
/// `created_at` or `updated_at`, or the timestamp inside `_id`. Level `l` cuts the key line into
/// buckets of 16^l seconds; level 8 (2^32 s, 136 years) holds the roots. A bucket keeps the
/// number of rows whose key falls in it, and is *expanded* — has its non-empty children stored —
/// once it holds more than `threshold` rows. So the rows before any key are counted by summing
/// at most fifteen siblings on each of nine levels, then counting in the index the rows of one
/// unexpanded bucket: at most `threshold` of them, or those sharing one second for `_id`.
struct CountTree: Sendable {
    static let levels = 9
    static let topLevel = levels - 1
    static let bitsPerLevel = 4

    /// A bucket with more rows than this is expanded.
    let threshold: Int

    static func bucket(of key: Int64, level: Int) -> Int64 { key >> Int64(level * bitsPerLevel) }

    /// The first key of `bucket` at `level`.
    static func start(of bucket: Int64, level: Int) -> Int64 { bucket << Int64(level * bitsPerLevel) }

    /// The first key after `bucket`, or `nil` past `Int64.max`.
    static func end(of bucket: Int64, level: Int) -> Int64? {
        let (next, overflow) = bucket.addingReportingOverflow(1)
        guard !overflow else { return nil }
        let (end, shiftOverflow) = next.multipliedReportingOverflow(by: 1 << Int64(level * bitsPerLevel))
        return shiftOverflow ? nil : end
    }

    /// The stored buckets that describe `keys` (sorted ascending) from `level` down: their
    /// buckets at `level`, and below every bucket holding more than `threshold` keys, its
    /// non-empty children. At the top level, a whole tree; below it, an expansion.
    func buckets(level: Int = topLevel, sortedKeys keys: ArraySlice<Int64>) -> [CountBucket] {
        var rows: [CountBucket] = []
        append(level: level, keys: keys, to: &rows)
        return rows
    }

    private func append(level: Int, keys: ArraySlice<Int64>, to rows: inout [CountBucket]) {
        var start = keys.startIndex
        while start < keys.endIndex {
            let bucket = Self.bucket(of: keys[start], level: level)
            var end = start + 1
            while end < keys.endIndex, Self.bucket(of: keys[end], level: level) == bucket { end += 1 }
            let count = end - start
            let expanded = level > 0 && count > threshold
            rows.append(CountBucket(level: level, bucket: bucket, rows: count, expanded: expanded))
            if expanded { append(level: level - 1, keys: keys[start..<end], to: &rows) }
            start = end
        }
    }

    /// The rows before `key`, from the stored buckets on its path (`path(to:)`): the part that
    /// counters answer, and the one unexpanded bucket whose rows before `key` must be counted
    /// in the index (`nil` when none must).
    static func countBefore(key: Int64, stored: [CountBucket]) -> (counted: Int, residue: (level: Int, bucket: Int64)?)
    {
        var byLevel = [[CountBucket]](repeating: [], count: levels)
        for row in stored { byLevel[row.level].append(row) }
        var counted = 0
        for level in stride(from: topLevel, through: 0, by: -1) {
            let target = bucket(of: key, level: level)
            var node: CountBucket?
            for row in byLevel[level] {
                if row.bucket < target {
                    counted += row.rows
                } else if row.bucket == target {
                    node = row
                }
            }
            guard let node, node.rows > 0 else { return (counted, nil) }
            if !node.expanded { return (counted, (level, target)) }
        }
        // Level 0 is never expanded, so the loop returns.
        return (counted, nil)
    }

    /// Per level, the range of buckets that `countBefore(key:stored:)` reads: the siblings
    /// before the key's bucket, and that bucket. The top level's range is open below.
    static func path(to key: Int64) -> [(level: Int, first: Int64?, last: Int64)] {
        (0..<levels).reversed().map { level in
            let last = bucket(of: key, level: level)
            let first = level == topLevel ? nil : bucket(of: key, level: level + 1) << Int64(bitsPerLevel)
            return (level, first, last)
        }
    }
}

/// One stored counter: how many rows of a tree have keys in `bucket` at `level`.
struct CountBucket: Sendable, Equatable {
    var level: Int
    var bucket: Int64
    var rows: Int
    var expanded: Bool
}

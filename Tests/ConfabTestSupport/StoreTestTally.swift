import Foundation
import Synchronization

/// Counts the stores the tests made on each database (one per test case) and prints the counts
/// when the test process ends, so that a run's log shows how much of the suite ran on each.
enum StoreTestTally {
    private static let counts = Mutex<[StoreKind: Int]>([:])

    static func record(_ kind: StoreKind) {
        let isFirst = counts.withLock { counts in
            defer { counts[kind, default: 0] += 1 }
            return counts.isEmpty
        }
        if isFirst { atexit { StoreTestTally.report() } }
    }

    private static func report() {
        let counts = counts.withLock { $0 }
        let line = StoreKind.allCases.map { "\(counts[$0] ?? 0) on \($0)" }.joined(separator: ", ")
        print("Store suite: test cases run, each on a fresh store: \(line)")
        fflush(nil)
    }
}

import Testing

@testable import ConfabCore

@Suite struct ListFilterTests {
    @Test func comparisonOperatorsAdmitTheRightValues() {
        #expect(ComparisonOperator.allCases.map(\.rawValue) == ["gt", "lt", "gte", "lte"])
        let table: [(ComparisonOperator, [Bool])] = [
            // value 4, 5, 6 against bound 5
            (.gt, [false, false, true]), (.lt, [true, false, false]), (.gte, [false, true, true]),
            (.lte, [true, true, false]),
        ]
        for (comparison, expected) in table {
            #expect([4, 5, 6].map { comparison.admits($0, bound: 5) } == expected, "\(comparison)")
        }
        let low = objectId("620e2b1463ee2a1977b4ee65")
        let high = objectId("63834bbecf1efb102da40f2c")
        #expect(ComparisonOperator.lt.admits(low, bound: high))
        #expect(!ComparisonOperator.gt.admits(low, bound: high))
    }

    @Test func filtersKnowTheirFieldAndOperator() {
        let id = objectId("620e2b1463ee2a1977b4ee65")
        #expect(ListFilter.id(.lt, id).field == .id)
        #expect(ListFilter.id(.lt, id).comparison == .lt)
        #expect(ListFilter.createdAt(.gte, 1).field == .createdAt)
        #expect(ListFilter.createdAt(.gte, 1).comparison == .gte)
        #expect(ListFilter.updatedAt(.lte, 1).field == .updatedAt)
        #expect(ListFilter.updatedAt(.lte, 1).comparison == .lte)
        #expect(ListField.allCases.map(\.rawValue) == ["_id", "created_at", "updated_at"])
    }
}

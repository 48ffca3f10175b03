import Testing

@testable import ConfabCore

@Suite struct ListFilterTests {
    @Test func textOrdersByItsUTF8Bytes() {
        // "é" (C3 A9) after "z" (7A) by bytes; "Z" before "a".
        #expect(ListValue.text("z") < .text("é"))
        #expect(ListValue.text("Z") < .text("a"))
        #expect(ListValue.text("") < .text("a"))
    }

    @Test func comparisonOperatorsAdmitTheRightValues() {
        #expect(
            ComparisonOperator.allCases.map(\.rawValue) == [
                "eq", "ne", "lt", "lte", "gt", "gte", "in", "nin", "all", "ctn",
            ])
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
        #expect(ListFilter(.name, .ctn, [.text("a")]).parameterName == "name[ctn]")
        #expect(ListFilter(.type, .eq, [.integer(2)]).parameterName == "type")
        #expect(ListFilter(.type, .in, [.integer(2), .integer(3)]).parameterValue == "2,3")
    }
}

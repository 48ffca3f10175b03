import ConfabCore
import Foundation

/// Every field and operator of an admin list's grammar, with values taken from a fixture's rows
/// (present, absent, shared by many rows, and pairs for the list operators): the filters the
/// oracle tests run on each store and over HTTP.
public enum ListFilterCases {
    public static func filters(_ fixture: ChatFixture, _ collection: ChatCollection) -> [ListFilter] {
        let grammar = ListGrammar.admin(collection)
        let rows: [any ListedRow] = collection == .dialogs ? fixture.dialogs : fixture.messages
        var filters = [ListFilter]()
        for field in grammar.fields {
            let samples = samples(of: field, in: rows)
            guard let first = samples.first else { continue }
            let second = samples.dropFirst().first ?? first
            for comparison in grammar.operators[field] ?? [] {
                switch comparison {
                case .in, .nin: filters.append(ListFilter(field, comparison, [first, second]))
                case .all:
                    filters.append(ListFilter(field, comparison, [first]))
                    filters.append(ListFilter(field, comparison, [first, second]))
                case .ctn:
                    for part in ["eam", "☕", "Team", "a", "e/o"] {
                        filters.append(ListFilter(field, comparison, [.text(part)]))
                    }
                default:
                    filters.append(ListFilter(field, comparison, [first]))
                    if second != first { filters.append(ListFilter(field, comparison, [second])) }
                }
            }
        }
        return filters
    }

    /// A query string parameter asking for `filter`.
    public static func parameter(_ filter: ListFilter) -> String {
        "\(encode(filter.parameterName))=\(encode(filter.parameterValue))"
    }

    public static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._")))
            ?? text
    }

    /// Values of `field` in `rows`: the middle row's, then a common one, then others.
    static func samples(of field: ListField, in rows: [any ListedRow]) -> [ListValue] {
        var counts = [ListValue: Int]()
        for row in rows { for value in row.values(of: field) { counts[value, default: 0] += 1 } }
        let middle = rows.isEmpty ? [] : rows[rows.count / 2].values(of: field)
        let common = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        var samples = [ListValue]()
        for value in middle + common where !samples.contains(value) { samples.append(value) }
        return samples
    }
}

import Testing

@testable import ConfabCore

@Suite struct ListQueryParserTests {
    static let dialogHex = "620e2b1463ee2a1977b4ee65"
    static let messageHex = "63834bbecf1efb102da40f2c"
    static let chatDialogHex = "61721539107bd9002fdb84ed"
    static let bothCollections: [ChatCollection] = [.dialogs, .messages]

    static let objectIdMessage = "must be an ObjectId: 24 hexadecimal characters"
    static let limitMessage = "must be an integer from 1 up (at most 100 rows are returned)"
    static let skipMessage = "must be an integer from 0 up to \(Int.max)"
    static let sortMessage = "must be one of _id, created_at, updated_at"
    static let timestampMessage = "must be an integer unix timestamp in seconds"
    static let twiceMessage = "is given more than once; give it once"

    static func parse(_ text: String, _ collection: ChatCollection = .dialogs) throws(ParameterErrors) -> ListQuery {
        try ListQueryParser.parse(formParameters(text), for: collection)
    }

    /// The errors `text` must produce.
    static func errors(_ text: String, _ collection: ChatCollection = .dialogs) -> ParameterErrors {
        do {
            let query = try parse(text, collection)
            Issue.record("\(text) was accepted as \(query)")
            return ParameterErrors()
        } catch {
            return error
        }
    }

    /// Checks that `text` fails with exactly one entry, keyed by `parameter`, and returns its messages.
    @discardableResult
    static func expectOneError(
        _ text: String, _ collection: ChatCollection = .dialogs, parameter: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> [String] {
        let errors = errors(text, collection)
        #expect(errors.entries.map(\.parameter) == [parameter], "\(text)", sourceLocation: sourceLocation)
        let messages = errors.messages(for: parameter)
        #expect(messages.count == 1, "\(text)", sourceLocation: sourceLocation)
        return messages
    }

    // MARK: Defaults

    @Test(arguments: bothCollections)
    func defaults(collection: ChatCollection) throws {
        let query = try ListQueryParser.parse([], for: collection)
        #expect(query.limit == 100)
        #expect(query.skip == 0)
        #expect(query.sort == ListSort(field: .id, direction: .descending))
        #expect(query.sort == .default)
        #expect(query.filters.isEmpty)
        #expect(query.chatDialogId == nil)
        #expect(query == ListQuery())
        #expect(ListQuery.defaultLimit == 100)
        #expect(ListQuery.maximumLimit == 100)
    }

    // MARK: Filters

    /// A value of `field`'s kind, as text and as parsed.
    static func sample(_ field: ListField) -> (String, ListValue) {
        switch field.kind {
        case .objectId: (dialogHex, .objectId(objectId(dialogHex)))
        case .integer: ("1687886581", .integer(1_687_886_581))
        case .text: ("Team ☕", .text("Team ☕"))
        }
    }

    @Test(arguments: bothCollections)
    func everyFieldWithEveryOperatorOfItsGrammar(collection: ChatCollection) throws {
        let grammar = ListGrammar.admin(collection)
        for field in grammar.fields {
            for comparison in grammar.operators[field] ?? [] {
                let (text, value) = Self.sample(field)
                let name = comparison == .eq ? field.rawValue : "\(field.rawValue)[\(comparison.rawValue)]"
                let query = try Self.parse("\(name)=\(text)", collection)
                #expect(query.filters == [ListFilter(field, comparison, [value])], "\(name)")
                #expect(query.limit == 100 && query.skip == 0 && query.sort == .default && query.chatDialogId == nil)
            }
        }
    }

    @Test func listsOfValuesForInNinAndAll() throws {
        let query = try Self.parse("type[in]=2,3&_id[nin]=\(Self.dialogHex),\(Self.messageHex)&name[all]=a,b,")
        #expect(
            query.filters == [
                ListFilter(.type, .in, [.integer(2), .integer(3)]),
                ListFilter(.id, .nin, [.objectId(objectId(Self.dialogHex)), .objectId(objectId(Self.messageHex))]),
                ListFilter(.name, .all, [.text("a"), .text("b"), .text("")]),
            ])
        let messages = try Self.parse("attachments.type[in]=image,video&sender_id=7&message[ctn]=hi,there", .messages)
        #expect(
            messages.filters == [
                ListFilter(.attachmentsType, .in, [.text("image"), .text("video")]),
                ListFilter(.senderId, .eq, [.integer(7)]),
                ListFilter(.message, .ctn, [.text("hi,there")]),
            ])
    }

    @Test(arguments: [
        ("type[gt]=abc", "type[gt]", "must be an integer"),
        ("type[in]=1,x", "type[in]", "must be integers separated by commas"),
        ("type[in]=", "type[in]", "must list from 1 to 1000 values, separated by commas"),
        ("last_message_date_sent=soon", "last_message_date_sent", "must be an integer unix timestamp in seconds"),
        ("_id[in]=1,2", "_id[in]", "must be ObjectIds (24 hexadecimal characters) separated by commas"),
        ("name[ctn]=a\u{0}b", "name[ctn]", "must be text without NUL characters"),
    ])
    func valuesOfTheWrongKindAreRefused(text: String, parameter: String, message: String) {
        #expect(Self.expectOneError(text, .dialogs, parameter: parameter) == [message])
    }

    @Test func aThousandValuesAtMost() throws {
        let ids = (0..<1_001).map(String.init)
        #expect(try Self.parse("type[in]=\(ids.prefix(1_000).joined(separator: ","))").filters[0].values.count == 1_000)
        Self.expectOneError("type[in]=\(ids.joined(separator: ","))", parameter: "type[in]")
    }

    @Test func referenceExamplesParse() throws {
        #expect(try Self.parse("updated_at[gt]=1687886581").filters == [.updatedAt(.gt, 1_687_886_581)])
        #expect(try Self.parse("created_at[lte]=1687886581").filters == [.createdAt(.lte, 1_687_886_581)])
        #expect(try Self.parse("_id[gte]=620e2b1463ee2a1977b4ee65").filters == [.id(.gte, objectId(Self.dialogHex))])
        #expect(try Self.parse("updated_at[lt]=1687886581").filters == [.updatedAt(.lt, 1_687_886_581)])
        #expect(try Self.parse("limit=50").limit == 50)
        #expect(try Self.parse("sort_desc=updated_at").sort == ListSort(field: .updatedAt, direction: .descending))
        #expect(
            try Self.parse("_id[lte]=63834bbecf1efb102da40f2c", .messages).filters == [
                .id(.lte, objectId(Self.messageHex))
            ])
        #expect(
            try Self.parse("chat_dialog_id=61721539107bd9002fdb84ed", .messages).chatDialogId
                == objectId(Self.chatDialogHex))
        // The NodeJS example's paging request.
        let page = try Self.parse("limit=100&_id[lt]=620e2b1463ee2a1977b4ee65")
        #expect(page == ListQuery(filters: [.id(.lt, objectId(Self.dialogHex))], limit: 100))
    }

    @Test func upperCaseIdsAreAccepted() throws {
        let query = try Self.parse(
            "_id[lt]=620E2B1463EE2A1977B4EE65&chat_dialog_id=61721539107BD9002FDB84ED", .messages)
        #expect(query.filters == [.id(.lt, objectId(Self.dialogHex))])
        #expect(query.chatDialogId == objectId(Self.chatDialogHex))
    }

    @Test(arguments: [("0", Int64(0)), ("-1", -1), ("4102444800", 4_102_444_800), ("9223372036854775807", .max)])
    func timestampsAreAnyInteger(text: String, seconds: Int64) throws {
        #expect(try Self.parse("created_at[gte]=\(text)").filters == [.createdAt(.gte, seconds)])
        #expect(try Self.parse("updated_at[lt]=\(text)", .messages).filters == [.updatedAt(.lt, seconds)])
    }

    @Test(arguments: bothCollections)
    func severalFiltersOnOneFieldFormARange(collection: ChatCollection) throws {
        let range = try Self.parse("updated_at[gt]=100&updated_at[lt]=200", collection)
        #expect(range.filters == [.updatedAt(.gt, 100), .updatedAt(.lt, 200)])

        let all = try Self.parse("created_at[gte]=1&created_at[lte]=9&created_at[gt]=0&created_at[lt]=10", collection)
        #expect(all.filters == [.createdAt(.gte, 1), .createdAt(.lte, 9), .createdAt(.gt, 0), .createdAt(.lt, 10)])

        let ids = try Self.parse("_id[gte]=\(Self.dialogHex)&_id[lt]=\(Self.messageHex)", collection)
        #expect(ids.filters == [.id(.gte, objectId(Self.dialogHex)), .id(.lt, objectId(Self.messageHex))])
    }

    @Test func everythingTogether() throws {
        let text =
            "chat_dialog_id=\(Self.chatDialogHex)&_id[lt]=\(Self.messageHex)&created_at[gte]=1600000000"
            + "&updated_at[lte]=1700000000&limit=25&offset=50&sort_asc=created_at"
        let query = try Self.parse(text, .messages)
        #expect(
            query
                == ListQuery(
                    filters: [
                        .id(.lt, objectId(Self.messageHex)), .createdAt(.gte, 1_600_000_000),
                        .updatedAt(.lte, 1_700_000_000),
                    ],
                    chatDialogId: objectId(Self.chatDialogHex),
                    sort: ListSort(field: .createdAt, direction: .ascending),
                    limit: 25,
                    skip: 50
                ))
    }

    // MARK: chat_dialog_id

    @Test func chatDialogIdIsOnlyForMessages() {
        let messages = Self.expectOneError(
            "chat_dialog_id=\(Self.chatDialogHex)", .dialogs, parameter: "chat_dialog_id")
        let message = messages.first ?? ""
        #expect(message.hasPrefix("is not a known parameter; accepted: "))
        #expect(message.contains("limit"))
        #expect(!message.contains("chat_dialog_id"))
    }

    @Test(arguments: ["", "xyz", "61721539107bd9002fdb84e", "61721539107bd9002fdb84edd", "61721539107bd9002fdb84eg"])
    func chatDialogIdMustBeAnObjectId(value: String) {
        let messages = Self.expectOneError("chat_dialog_id=\(value)", .messages, parameter: "chat_dialog_id")
        #expect(messages == [Self.objectIdMessage])
    }

    // MARK: limit

    @Test(arguments: [
        ("1", 1), ("2", 2), ("50", 50), ("99", 99), ("100", 100), ("007", 7), ("+5", 5),
        // Above the maximum is answered with the maximum, however many digits it has.
        ("101", 100), ("1000", 100), ("9223372036854775807", 100), ("99999999999999999999", 100),
        ("+99999999999999999999", 100), ("1000000000000000000000000000000000000000", 100),
    ])
    func limit(text: String, expected: Int) throws {
        for collection in Self.bothCollections {
            #expect(try Self.parse("limit=\(text)", collection).limit == expected)
        }
    }

    @Test(arguments: [
        "0", "-1", "-100", "1.5", "100.0", "abc", "", "-0", "+", "++5", "+-5", "1e2", " 5", "5 ", "0x10", "5a",
        "-99999999999999999999", "00000000000000000000000", "٣", "１０",
    ])
    func badLimitIsAnErrorNamingLimit(text: String) {
        for collection in Self.bothCollections {
            let messages = Self.expectOneError("limit=\(text)", collection, parameter: "limit")
            #expect(messages == [Self.limitMessage])
        }
    }

    // MARK: skip and offset

    @Test(arguments: ["skip", "offset"], [("0", 0), ("1", 1), ("250", 250), ("+3", 3), ("0100", 100)])
    func skipAndItsAliasOffset(name: String, value: (String, Int)) throws {
        for collection in Self.bothCollections {
            let query = try Self.parse("\(name)=\(value.0)", collection)
            #expect(query.skip == value.1)
            #expect(query.limit == 100)
        }
    }

    @Test func skipAndOffsetTogetherIsAnError() {
        let second = Self.expectOneError("skip=1&offset=2", parameter: "offset")
        #expect(second == ["is the same as skip; give only one of them"])
        let reversed = Self.expectOneError("offset=2&skip=1", .messages, parameter: "skip")
        #expect(reversed == ["is the same as offset; give only one of them"])
    }

    @Test(arguments: ["skip", "offset"], ["-1", "-100", "abc", "1.5", "", "1e3", " 1"])
    func badSkipIsAnErrorNamingTheParameter(name: String, value: String) {
        let messages = Self.expectOneError("\(name)=\(value)", parameter: name)
        #expect(messages == [Self.skipMessage])
    }

    // MARK: Sorting

    @Test(arguments: ["sort_asc", "sort_desc"], [ListField.id, .createdAt, .updatedAt])
    func sortByEachField(name: String, field: ListField) throws {
        for collection in Self.bothCollections {
            let query = try Self.parse("\(name)=\(field.rawValue)", collection)
            #expect(query.sort == ListSort(field: field, direction: name == "sort_asc" ? .ascending : .descending))
        }
    }

    @Test(
        arguments: ["sort_asc", "sort_desc"], ["date_sent", "", "ID", "id", "updated_at[gt]", "type", "_id,created_at"])
    func sortByAnUnknownFieldIsAnError(name: String, value: String) {
        let messages = Self.expectOneError("\(name)=\(value)", parameter: name)
        #expect(messages == [Self.sortMessage])
    }

    @Test func sortAscAndSortDescTogetherIsAnError() {
        let messages = Self.expectOneError("sort_asc=_id&sort_desc=created_at", parameter: "sort_desc")
        #expect(messages == ["cannot be combined with sort_asc; give one sort direction"])
        let reversed = Self.expectOneError("sort_desc=_id&limit=5&sort_asc=_id", .messages, parameter: "sort_asc")
        #expect(reversed == ["cannot be combined with sort_desc; give one sort direction"])
    }

    // MARK: Filter values

    @Test(
        arguments: ["_id[lt]", "_id[gt]", "_id[gte]", "_id[lte]"],
        [
            "", "xyz", "620e2b1463ee2a1977b4ee6", "620e2b1463ee2a1977b4ee655", "620e2b1463ee2a1977b4ee6g", "1645095700",
            "ObjectId(620e2b1463ee2a1977b4ee65)",
        ])
    func malformedObjectIdIsAnError(name: String, value: String) {
        for collection in Self.bothCollections {
            let messages = Self.expectOneError("\(name)=\(value)", collection, parameter: name)
            #expect(messages == [Self.objectIdMessage])
        }
    }

    @Test(
        arguments: ["created_at[gt]", "updated_at[lte]"],
        ["", "abc", "1.5", "2022-02-17T11:01:40Z", "1e9", "99999999999999999999", "1645095700 ", "0x10"])
    func nonNumericTimestampIsAnError(name: String, value: String) {
        for collection in Self.bothCollections {
            let messages = Self.expectOneError("\(name)=\(value)", collection, parameter: name)
            #expect(messages == [Self.timestampMessage])
        }
    }

    // MARK: Unknown operators, fields and parameters

    @Test(arguments: [
        ("updated_at[ctn]", "ctn"), ("_id[eq]", "eq"), ("updated_at[]", ""), ("_id[GT]", "GT"),
        ("created_at[gt][lt]", "gt][lt"), ("updated_at[ gt]", " gt"), ("_id[regex]", "regex"),
    ])
    func unknownOperatorIsAnError(name: String, operatorName: String) {
        let field = String(name.prefix { $0 != "[" })
        for collection in Self.bothCollections {
            let messages = Self.expectOneError("\(name)=1", collection, parameter: name)
            #expect(
                messages == [
                    "has an unknown operator \(operatorName); operators of \(field): ne, lt, lte, gt, gte, in, nin, all"
                ])
        }
    }

    @Test func attachmentsTypeTakesNoRange() {
        let messages = Self.expectOneError("attachments.type[lt]=b", .messages, parameter: "attachments.type[lt]")
        #expect(messages == ["has an unknown operator lt; operators of attachments.type: ne, in, nin, all, ctn"])
    }

    static let dialogFields = "_id, type, name, last_message_date_sent, created_at, updated_at"
    static let messageFields =
        "_id, message, date_sent, sender_id, recipient_id, attachments.type, created_at, updated_at"

    @Test(arguments: [
        ("date_sent[gt]", "date_sent", ChatCollection.dialogs), ("sender_id[in]", "sender_id", .dialogs),
        ("last_message_date_sent[gte]", "last_message_date_sent", .messages), ("type[lt]", "type", .messages),
        ("[gt]", "", .dialogs), ("chat_dialog_id[lt]", "chat_dialog_id", .messages), ("ID[gt]", "ID", .messages),
    ])
    func filterOnAnUnknownFieldIsAnError(name: String, fieldName: String, collection: ChatCollection) {
        let messages = Self.expectOneError("\(name)=1", collection, parameter: name)
        let fields = collection == .dialogs ? Self.dialogFields : Self.messageFields
        #expect(messages == ["filters an unknown field \(fieldName); filterable fields: \(fields)"])
    }

    @Test func aBareFieldIsEquality() throws {
        #expect(try Self.parse("type=2").filters == [ListFilter(.type, .eq, [.integer(2)])])
        #expect(try Self.parse("created_at=5", .messages).filters == [.createdAt(.eq, 5)])
    }

    @Test(arguments: [
        "foo", "limits", "count", "sort", "page", "Limit", "SKIP", "updated_at[gt", "updated_atgt]",
        "mark_as_read", "", " limit",
    ])
    func unknownParameterIsAnError(name: String) {
        let dialogs = Self.expectOneError("\(name)=1", .dialogs, parameter: name)
        #expect(
            dialogs == [
                "is not a known parameter; accepted: _id[op], type[op], name[op], last_message_date_sent[op], "
                    + "created_at[op], updated_at[op], limit, skip, offset, sort_asc, sort_desc"
            ])
        let messages = Self.expectOneError("\(name)=1", .messages, parameter: name)
        #expect(
            messages == [
                "is not a known parameter; accepted: _id[op], message[op], date_sent[op], sender_id[op], "
                    + "recipient_id[op], attachments.type[op], created_at[op], updated_at[op], chat_dialog_id, "
                    + "limit, skip, offset, sort_asc, sort_desc"
            ])
    }

    // MARK: Repeats and several errors

    @Test(arguments: [
        ("limit=5&limit=5", "limit"), ("limit=5&limit=6", "limit"), ("skip=1&skip=1", "skip"),
        ("offset=1&offset=2", "offset"),
        ("sort_asc=_id&sort_asc=_id", "sort_asc"), ("sort_desc=_id&sort_desc=updated_at", "sort_desc"),
        ("_id[lt]=\(dialogHex)&_id[lt]=\(messageHex)", "_id[lt]"),
        ("updated_at[gt]=1&updated_at[gt]=1", "updated_at[gt]"),
        ("created_at[gte]=1&limit=3&created_at[gte]=2", "created_at[gte]"),
        ("chat_dialog_id=\(chatDialogHex)&chat_dialog_id=\(chatDialogHex)", "chat_dialog_id"),
    ])
    func parameterGivenTwiceIsAnError(text: String, parameter: String) {
        let messages = Self.expectOneError(text, .messages, parameter: parameter)
        #expect(messages == [Self.twiceMessage])
    }

    @Test func aBadParameterGivenTwiceIsOneEntry() {
        let errors = Self.errors("limit=0&limit=abc&limit=0")
        #expect(errors.entries.map(\.parameter) == ["limit"])
        #expect(errors.messages(for: "limit") == [Self.limitMessage, Self.twiceMessage])
    }

    @Test func severalBadParametersGiveOneEntryEach() {
        let text =
            "limit=0&skip=-1&foo=1&updated_at[ctn]=1&sort_asc=bogus&_id[lt]=nothex&created_at=x5"
            + "&created_at[gt]=x&chat_dialog_id=zz&date_sent[gt]=1&updated_at[gte]=5&sort_desc=_id&sender_id=1"
        let errors = Self.errors(text, .messages)
        #expect(
            errors.entries.map(\.parameter) == [
                "limit", "skip", "foo", "updated_at[ctn]", "sort_asc", "_id[lt]", "created_at", "created_at[gt]",
                "chat_dialog_id", "sort_desc",
            ])
        #expect(errors.entries.allSatisfy { $0.messages.count == 1 })
        #expect(errors.messages(for: "limit") == [Self.limitMessage])
        #expect(errors.messages(for: "skip") == [Self.skipMessage])
        #expect(errors.messages(for: "sort_asc") == [Self.sortMessage])
        #expect(errors.messages(for: "_id[lt]") == [Self.objectIdMessage])
        #expect(errors.messages(for: "created_at[gt]") == [Self.timestampMessage])
        #expect(errors.messages(for: "chat_dialog_id") == [Self.objectIdMessage])
        #expect(errors.messages(for: "sort_desc") == ["cannot be combined with sort_asc; give one sort direction"])
        // The valid filter among them produces nothing.
        #expect(errors.messages(for: "updated_at[gte]").isEmpty)
    }

    @Test func oneBadParameterFailsTheWholeQuery() {
        let errors = Self.errors("limit=10&skip=5&_id[lt]=\(Self.dialogHex)&sort_asc=_id&offset=1")
        #expect(errors.entries.map(\.parameter) == ["offset"])
    }
}

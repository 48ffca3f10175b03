import ConfabCore
import ConfabStore

/// A seeded stream of random chat writes, and random admin-list queries over what they leave,
/// for tests that check the store against a recount after each transaction. Times cluster in a
/// few seconds, a few minutes and a few years, with rare far-off values, so that counted buckets
/// fill at every level.
struct RandomChatWrites {
    private var random: SeededRandomNumberGenerator
    /// Draws for what only the statistics read (dialog types, a `date_sent` apart from
    /// `created_at`, statistics queries): apart, so the other draws stay as they were.
    private var variety: SeededRandomNumberGenerator
    private var ids: ObjectIdSequence
    /// What the writes left: the stored dialogs and messages.
    private(set) var model = Model()
    /// Writes made so far.
    private(set) var count = 0

    struct Model {
        var dialogs: [ObjectId: Dialog] = [:]
        var messages: [ObjectId: Message] = [:]
    }

    /// One write, and how it changes the model.
    enum Operation {
        case insertDialog(Dialog)
        case insertMessage(Message)
        case updateDialog(Dialog)
        case updateMessage(Message)
        case deleteDialog(ObjectId)
        case deleteMessage(ObjectId)
        /// Rows loaded in one `insert(dialogs:messages:)`, outside a chat transaction.
        case bulk([Dialog], [Message])

        func run(in transaction: ChatTransaction) async throws {
            switch self {
            case .insertDialog(let dialog): try await transaction.insert(dialog)
            case .insertMessage(let message): try await transaction.insert(message)
            case .updateDialog(let dialog): try await transaction.update(dialog)
            case .updateMessage(let message): try await transaction.update(message)
            case .deleteDialog(let id): try await transaction.deleteDialog(id)
            case .deleteMessage(let id): try await transaction.deleteMessage(id)
            case .bulk: preconditionFailure("bulk loads run through ChatStore.insert")
            }
        }
    }

    /// Runs one transaction's operations on `store`: a bulk load through `insert`, the rest in
    /// one write transaction.
    static func run(_ operations: [Operation], on store: any ChatStore, applicationId: Int) async throws {
        if case .bulk(let dialogs, let messages) = operations.first {
            try await store.insert(dialogs: dialogs, messages: messages, applicationId: applicationId)
        } else {
            try await store.write(applicationId: applicationId) { transaction in
                for operation in operations { try await operation.run(in: transaction) }
            }
        }
    }

    init(seed: UInt64) {
        random = SeededRandomNumberGenerator(seed: seed)
        variety = SeededRandomNumberGenerator(seed: seed &+ 1)
        ids = ObjectIdSequence(using: &random)
    }

    /// The writes of one transaction (one to eight), already applied to `model`; or a bulk load
    /// alone.
    mutating func nextTransaction() -> [Operation] {
        if Int.random(in: 0..<40, using: &random) == 0 {
            let dialogs = (0..<Int.random(in: 1...5, using: &random)).map { _ in newDialog() }
            var messages: [Message] = []
            for _ in 0..<Int.random(in: 20...300, using: &random) {
                messages.append(newMessage(in: dialogs.randomElement(using: &random)!.id))
            }
            for dialog in dialogs { model.dialogs[dialog.id] = dialog }
            for message in messages { model.messages[message.id] = message }
            count += dialogs.count + messages.count
            return [.bulk(dialogs, messages)]
        }
        var operations: [Operation] = []
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            operations.append(nextOperation())
            count += 1
        }
        return operations
    }

    private mutating func nextOperation() -> Operation {
        let roll = Int.random(in: 0..<100, using: &random)
        if model.dialogs.isEmpty || roll < 6 {
            let dialog = newDialog()
            model.dialogs[dialog.id] = dialog
            return .insertDialog(dialog)
        }
        if roll < 60 || model.messages.isEmpty {
            let message = newMessage(in: randomKey(model.dialogs))
            model.messages[message.id] = message
            return .insertMessage(message)
        }
        if roll < 78 {
            var message = model.messages[randomKey(model.messages)]!
            message.updatedAt = time()
            if Bool.random(using: &random) { message.createdAt = time() }
            if Int.random(in: 0..<4, using: &variety) == 0 { message.dateSent = time(using: &variety) }
            model.messages[message.id] = message
            return .updateMessage(message)
        }
        if roll < 86 {
            var dialog = model.dialogs[randomKey(model.dialogs)]!
            dialog.updatedAt = time()
            model.dialogs[dialog.id] = dialog
            return .updateDialog(dialog)
        }
        if roll < 98 {
            let id = randomKey(model.messages)
            model.messages[id] = nil
            return .deleteMessage(id)
        }
        let id = randomKey(model.dialogs)
        model.dialogs[id] = nil
        model.messages = model.messages.filter { $0.value.chatDialogId != id }
        return .deleteDialog(id)
    }

    /// Random admin-list queries over one field with one or two bounds, sometimes in one dialog
    /// (or one that does not exist), bounds drawn from stored values, their neighbours and extremes.
    mutating func queries(count: Int) -> [(ChatCollection, ListQuery)] {
        (0..<count).map { _ in
            let collection: ChatCollection = Bool.random(using: &random) ? .messages : .dialogs
            var query = ListQuery()
            if collection == .messages, !model.dialogs.isEmpty, Int.random(in: 0..<3, using: &random) == 0 {
                query.chatDialogId = Bool.random(using: &random) ? randomKey(model.dialogs) : ids.next(timestamp: 7)
            }
            let field = [ListField.id, .createdAt, .updatedAt].randomElement(using: &random)!
            var operators = ComparisonOperator.ranges.shuffled(using: &random)
            operators = Array(operators.prefix(Int.random(in: 0...2, using: &random)))
            query.filters = operators.map { comparison in
                switch field {
                case .id: .id(comparison, boundId(collection))
                case .createdAt: .createdAt(comparison, boundTime(collection, \.createdAt, \.createdAt))
                default: .updatedAt(comparison, boundTime(collection, \.updatedAt, \.updatedAt))
                }
            }
            return (collection, query)
        }
    }

    /// Random statistics queries: each subject, bounds at stored times and beside them, at the
    /// first and last second of their days, at extremes or absent; random types and windows.
    mutating func statsQueries(count: Int) -> [StatsQuery] {
        (0..<count).map { _ in
            let subject: StatsSubject = Bool.random(using: &variety) ? .messagesSent : .dialogsCreated
            let stored =
                subject == .messagesSent
                ? model.messages.values.map(\.dateSent) : model.dialogs.values.map(\.createdAt)
            func bound() -> Int64? {
                switch Int.random(in: 0..<12, using: &variety) {
                case 0..<3: return nil
                case 3: return [Int64.min, Int64.max, 0, -1].randomElement(using: &variety)!
                case 4: return time(using: &variety)
                default:
                    let value = stored.sorted().randomElement(using: &variety) ?? time(using: &variety)
                    let day = DayCount.day(of: value) * DayCount.secondsPerDay
                    return [value, value - 1, value + 1, day, day - 1, day + DayCount.secondsPerDay - 1]
                        .randomElement(using: &variety)!
                }
            }
            var start = bound()
            var end = bound()
            if let low = start, let high = end, low > high { (start, end) = (high, low) }
            let types =
                subject == .dialogsCreated && Bool.random(using: &variety)
                ? DialogType.allCases.filter { _ in Bool.random(using: &variety) } : []
            let days =
                Bool.random(using: &variety)
                ? DayWindow(
                    offset: Int.random(in: 0...4, using: &variety), limit: Int.random(in: 1...6, using: &variety))
                : nil
            return StatsQuery(subject: subject, start: start, end: end, types: types, days: days)
        }
    }

    // MARK: Values

    private static let base: Int64 = 1_700_000_000

    /// Seconds: mostly within a minute of `base`, else within two hours, within four years, or
    /// far off (before 1970, past 2106).
    private mutating func time() -> Int64 { time(using: &random) }

    private func time(using random: inout SeededRandomNumberGenerator) -> Int64 {
        switch Int.random(in: 0..<20, using: &random) {
        case 0..<9: Self.base + Int64.random(in: 0..<60, using: &random)
        case 9..<15: Self.base + Int64.random(in: 0..<7_200, using: &random)
        case 15..<19: Self.base + Int64.random(in: -63_000_000..<63_000_000, using: &random)
        default: [-86_400, 0, 1 << 33, 1 << 40].randomElement(using: &random)!
        }
    }

    private mutating func newId() -> ObjectId {
        let seconds = Self.base + Int64.random(in: 0..<(Bool.random(using: &random) ? 40 : 100_000), using: &random)
        return ids.next(timestamp: UInt32(seconds))
    }

    private mutating func newDialog() -> Dialog {
        let created = time()
        return Dialog(
            id: newId(), userId: 1, type: DialogType.allCases.randomElement(using: &variety)!, name: "d",
            occupantsIds: [1], createdAt: created,
            updatedAt: Bool.random(using: &random) ? created : time())
    }

    private mutating func newMessage(in dialogId: ObjectId) -> Message {
        let created = time()
        return Message(
            id: newId(), chatDialogId: dialogId, text: "m",
            dateSent: Bool.random(using: &variety) ? created : time(using: &variety),
            senderId: 1, createdAt: created,
            updatedAt: Bool.random(using: &random) ? created : time())
    }

    private mutating func randomKey<Value>(_ rows: [ObjectId: Value]) -> ObjectId {
        // Sorted first: dictionary order differs between runs, and the choice must not.
        rows.keys.sorted().randomElement(using: &random)!
    }

    private mutating func boundId(_ collection: ChatCollection) -> ObjectId {
        let stored = collection == .dialogs ? Array(model.dialogs.keys) : Array(model.messages.keys)
        if stored.isEmpty || Int.random(in: 0..<4, using: &random) == 0 { return newId() }
        let id = stored.sorted().randomElement(using: &random)!
        // The stored id, or one just beside it in the same second.
        let step = Int32.random(in: -1...1, using: &random)
        return ObjectId(high: id.high, low: UInt32(bitPattern: Int32(bitPattern: id.low) &+ step))
    }

    private mutating func boundTime(
        _ collection: ChatCollection, _ dialogTime: KeyPath<Dialog, Int64>, _ messageTime: KeyPath<Message, Int64>
    ) -> Int64 {
        let stored =
            collection == .dialogs
            ? model.dialogs.values.map { $0[keyPath: dialogTime] }
            : model.messages.values.map { $0[keyPath: messageTime] }
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return [Int64.min, Int64.max, 0, -1].randomElement(using: &random)!
        case 1...2: return time()
        default:
            guard let value = stored.sorted().randomElement(using: &random) else { return time() }
            return value + Int64.random(in: -1...1, using: &random)
        }
    }
}

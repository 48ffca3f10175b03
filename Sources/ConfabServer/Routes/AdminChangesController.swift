import ConfabCore
import ConfabRequests
import ConfabStore
import HTTPTypes
import Hummingbird
import Synchronization

/// `GET /admin/chat/changes` (and `.json`), beyond ConnectyCube: the application's changes in
/// commit order since a cursor (docs/change-feed.md). Before a read, tombstones older than the
/// retention are dropped, at most once every ten minutes per process.
struct AdminChangesController {
    let store: any ChatStore
    let limits: InputLimits
    let retention: Duration
    let clock: @Sendable () -> Int64
    let purges = PurgeSchedule()

    static let applicationHeader = HTTPField.Name("Confab-Application-Id")!
    static let maximumLimit = 1_000
    static let defaultLimit = 100

    func addRoutes(to group: RouterGroup<ConfabRequestContext>) {
        for route in RoutePaths.withJSONSuffix("chat/changes") {
            group.get(route) { request, context in try await changes(request, context: context) }
        }
    }

    private func changes(_ request: Request, context: ConfabRequestContext) async throws -> Response {
        let application = try context.requireApplication()
        let (start, limit) = try Self.parse(try await RequestParameters.collect(from: request, limits: limits))
        let now = clock()
        if purges.isDue(now: now) {
            _ = try await store.purgeChanges(deletedBefore: now - retention.components.seconds)
        }
        let page = try await store.changes(applicationId: application.id, from: start, limit: limit)
        var response = Response.json(ChangeFeedJSON.encode(page))
        // Which application the key is: a mirror keeps its copy under the same id.
        response.headers[Self.applicationHeader] = String(application.id)
        return response
    }

    /// `cursor` (absent: from the beginning; `now`: from the current end) and `limit`.
    static func parse(_ parameters: [FormParameter]) throws(ParameterErrors) -> (ChangeStart, Int) {
        var errors = ParameterErrors()
        var seen = Set<String>()
        var start = ChangeStart.beginning
        var limit = defaultLimit
        for parameter in parameters {
            guard seen.insert(parameter.name).inserted else {
                errors.add(parameter.name, "is given more than once; give it once")
                continue
            }
            switch parameter.name {
            case "cursor":
                if parameter.value == "now" {
                    start = .now
                } else if let cursor = ChangeCursor(text: parameter.value) {
                    start = .after(cursor)
                } else {
                    errors.add("cursor", "must be a next_cursor this feed answered, or now")
                }
            case "limit":
                if let value = ListQueryParser.limit(parameter.value, maximum: maximumLimit) {
                    limit = value
                } else {
                    errors.add("limit", "must be an integer from 1 up (at most \(maximumLimit) changes are returned)")
                }
            default:
                errors.add(parameter.name, "is not a known parameter; accepted: cursor, limit")
            }
        }
        guard errors.isEmpty else { throw errors }
        return (start, limit)
    }
}

/// When tombstones were last dropped: at most once every ten minutes.
final class PurgeSchedule: Sendable {
    private let last = Mutex<Int64?>(nil)
    static let interval: Int64 = 600

    func isDue(now: Int64) -> Bool {
        last.withLock { last in
            if let previous = last, now - previous < Self.interval, now >= previous { return false }
            last = now
            return true
        }
    }
}

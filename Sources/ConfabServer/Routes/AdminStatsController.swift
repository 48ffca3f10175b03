import ConfabCore
import ConfabRequests
import ConfabStore
import Hummingbird

/// The Admin API's statistics (`admin-stats-api.md`): messages sent and dialogs created, in
/// total or per UTC day, each also with `.json`. Parameters from the query string, a form body
/// or a JSON body, as the lists take them.
struct AdminStatsController {
    let store: any ChatStore
    let limits: InputLimits

    func addRoutes(to group: RouterGroup<ConfabRequestContext>) {
        for endpoint in StatsEndpoint.allCases {
            for route in RoutePaths.withJSONSuffix(endpoint.path) {
                group.get(route) { request, context in try await answer(endpoint, request, context: context) }
            }
        }
    }

    private func answer(_ endpoint: StatsEndpoint, _ request: Request, context: ConfabRequestContext)
        async throws -> Response
    {
        let application = try context.requireApplication()
        let parameters = try await RequestParameters.collect(from: request, limits: limits)
        let query = try StatsQueryParser.parse(parameters, for: endpoint)
        if endpoint.isPerDay {
            return Response.json(
                StatsJSON.perDay(try await store.statisticsPerDay(applicationId: application.id, query: query)))
        }
        return Response.json(
            StatsJSON.total(try await store.statisticsTotal(applicationId: application.id, query: query)))
    }
}

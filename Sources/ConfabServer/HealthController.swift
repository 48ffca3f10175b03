import ConfabStore
import Hummingbird

/// `GET /health` for load balancers and probes: 200 while the store answers.
struct HealthController {
    let store: any ChatStore

    func addRoutes(to router: Router<ConfabRequestContext>) {
        router.get("health") { _, _ in
            _ = try await store.applications()
            return Response.json(Array(#"{"status":"ok"}"#.utf8))
        }
    }
}

import ConfabStore
import Hummingbird

/// `GET /health` for load balancers and probes: 200 while the store answers.
struct HealthController {
    let store: any ChatStore

    func addRoutes(to router: Router<ConfabRequestContext>) {
        router.get("health") { _, _ in
            // One indexed read proves the database answers, whatever its size.
            _ = try await store.application(id: 0)
            return Response.json(Array(#"{"status":"ok"}"#.utf8))
        }
    }
}

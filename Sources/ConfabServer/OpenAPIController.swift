import Foundation
import Hummingbird

/// `GET /openapi.yaml`: the OpenAPI 3.1 description of every endpoint Confab serves, as the file
/// `Resources/openapi.yaml` (which `docs/openapi.yaml` links to) reads, byte for byte.
struct OpenAPIController {
    /// The description, read once from the target's resource bundle.
    static let document: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let data = try? Data(contentsOf: url)
        else { return [] }
        return [UInt8](data)
    }()

    func addRoutes(to router: Router<ConfabRequestContext>) {
        router.get("openapi.yaml") { _, _ in
            guard !Self.document.isEmpty else { throw APIError.notFound("Not found") }
            return Response(
                status: .ok,
                headers: [.contentType: "application/yaml"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: Self.document))
            )
        }
    }
}

import Foundation
import Hummingbird

/// `GET /openapi.yaml`: the OpenAPI 3.1 description of every endpoint Confab serves, the file
/// `Resources/openapi.yaml` (which `docs/openapi.yaml` links to) byte for byte.
struct OpenAPIController {
    /// The description, read once: from the target's resource bundle, which SwiftPM puts beside
    /// the executable (`.build/debug/Confab_ConfabServer.resources`, also for `swift run`), else
    /// from the source tree the binary was built from. Empty when neither is there (a binary
    /// copied somewhere alone), and then the route answers 404; unlike `Bundle.module`, a missing
    /// bundle never stops the server.
    static let document: [UInt8] = {
        let executableDirectory = Bundle.main.bundleURL
        let bundles = ["Confab_ConfabServer.resources", "Confab_ConfabServer.bundle"].compactMap {
            Bundle(url: executableDirectory.appendingPathComponent($0))
        }
        var candidates = bundles.compactMap { $0.url(forResource: "openapi", withExtension: "yaml") }
        candidates.append(
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources/openapi.yaml")
        )
        for url in candidates {
            if let data = try? Data(contentsOf: url), !data.isEmpty { return [UInt8](data) }
        }
        return []
    }()

    func addRoutes(to router: Router<ConfabRequestContext>) {
        router.get("openapi.yaml") { _, _ in
            guard !Self.document.isEmpty else { throw APIError.notFound("The OpenAPI description is not installed") }
            return Response(
                status: .ok,
                headers: [.contentType: "application/yaml"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: Self.document))
            )
        }
    }
}

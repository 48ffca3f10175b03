import ConfabTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("GET /openapi.yaml")
struct OpenAPITests {
    /// The repository's root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("answers the description file byte for byte, as application/yaml")
    func servesTheFile() async throws {
        let file = [UInt8](
            try Data(contentsOf: Self.root.appendingPathComponent("Sources/ConfabServer/Resources/openapi.yaml")))
        let documented = [UInt8](try Data(contentsOf: Self.root.appendingPathComponent("docs/openapi.yaml")))
        #expect(documented == file, "docs/openapi.yaml is not the served file")
        #expect(file.starts(with: Array("openapi: 3.1".utf8)))
        try await withTestServer(.sqlite) { client, _ in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/yaml")
            #expect(Array(response.body.readableBytesView) == file)
        }
    }
}

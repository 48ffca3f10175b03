import ConfabCore
import ConfabStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Requests to the admin endpoints as a test writes them, and their answers parsed.
struct AdminAPITestClient {
    let client: any TestClientProtocol
    let key: String?

    /// GET `path` with the admin key header; `body` is sent form-encoded unless `contentType` says otherwise.
    func get(
        _ path: String,
        body: String? = nil,
        contentType: String = "application/x-www-form-urlencoded"
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        if let key { headers[HTTPField.Name("CB-Administration-API-Key")!] = key }
        if body != nil { headers[.contentType] = contentType }
        return try await client.execute(
            uri: path, method: .get, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// GET that must answer 200; returns the parsed body.
    func page(_ path: String, body: String? = nil) async throws -> AdminPage {
        let response = try await get(path, body: body)
        #expect(response.status == .ok, "\(path): \(String(buffer: response.body))")
        return try AdminPage(parsing: response.body)
    }
}

/// A parsed admin list response.
struct AdminPage {
    let json: JSONObject
    let bytes: [UInt8]

    init(parsing body: ByteBuffer) throws {
        bytes = Array(body.readableBytesView)
        json = try #require(try JSONParser.parse(bytes).objectValue)
    }

    var totalEntries: Int64? { json["total_entries"]?.integerValue }
    var skip: Int64? { json["skip"]?.integerValue }
    var limit: Int64? { json["limit"]?.integerValue }
    var items: [JSONObject] { json["items"]?.arrayValue?.compactMap(\.objectValue) ?? [] }
    var ids: [String] { items.compactMap { $0["_id"]?.stringValue } }
}

extension TestResponse {
    /// The `errors` member of an error body.
    var errors: JSONValue? {
        (try? JSONParser.parse(Array(body.readableBytesView)))?.objectValue?["errors"]
    }
}

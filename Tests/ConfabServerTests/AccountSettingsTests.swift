import ConfabCore
import ConfabServer
import ConfabTestSupport
import Testing

/// Older ConnectyCube clients ask `GET /account_settings` where the API and chat hosts are.
@Suite("GET /account_settings")
struct AccountSettingsTests {
    @Test("names the host the client reached, through a TLS proxy too, and the chat host; echoes no odd Host")
    func endpoints() async throws {
        try await withTemporaryStore(.sqlite) { store in
            let configuration = ServerConfiguration(port: 0, chatHost: "chat.example.org")
            try await withLiveServer(store: store, configuration: configuration) { baseURL in
                let port = try #require(baseURL.split(separator: ":").last.flatMap { Int($0) })
                func settings(_ headers: String) async throws -> String {
                    let connection = try RawConnection(port: port)
                    defer { connection.disconnect() }
                    try connection.send("GET /account_settings.json HTTP/1.1\r\n\(headers)Connection: close\r\n\r\n")
                    let response = try await connection.readResponse()
                    #expect(response.status == 200)
                    return response.text
                }
                #expect(
                    try await settings("Host: api.example.org:8443\r\nX-Forwarded-Proto: https\r\n")
                        == #"{"api_endpoint":"https://api.example.org:8443","chat_endpoint":"chat.example.org"}"#)
                #expect(
                    try await settings("Host: 127.0.0.1:8080\r\n")
                        == #"{"api_endpoint":"http://127.0.0.1:8080","chat_endpoint":"chat.example.org"}"#)
                #expect(
                    try await settings("Host: evil.example/<script>\r\n")
                        == #"{"api_endpoint":null,"chat_endpoint":"chat.example.org"}"#)
            }
        }
    }
}

import ConfabCore
import HTTPTypes
import Hummingbird

/// `GET /account_settings`: where older ConnectyCube clients look up the API and chat hosts
/// before anything else. Confab is one server, so the API endpoint is the one asked (its `Host`
/// header, with `X-Forwarded-Proto` from a TLS proxy), and the chat endpoint is `--chat-host`.
struct AccountSettingsController {
    let chatHost: String

    func addRoutes(to router: Router<ConfabRequestContext>) {
        for path in RoutePaths.withJSONSuffix("account_settings") {
            router.get(path) { request, _ in Response.json(settings(for: request)) }
        }
    }

    func settings(for request: Request) -> [UInt8] {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.member("api_endpoint", Self.apiEndpoint(of: request))
        writer.member("chat_endpoint", chatHost)
        writer.endObject()
        return writer.bytes
    }

    /// `http(s)://host[:port]` as the client reached the server (HTTP/1's `Host` is the request's
    /// authority); `null` for one that is not a plain host name or address, as it is echoed.
    static func apiEndpoint(of request: Request) -> String? {
        guard let host = request.head.authority, HostName.isPlain(host)
        else { return nil }
        let forwarded = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased()
        return "\(forwarded == "https" ? "https" : "http")://\(host)"
    }
}

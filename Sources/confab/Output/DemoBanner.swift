import ConfabCore

/// What `serve --demo` prints: the key, shown this once, and commands to paste.
struct DemoBanner {
    let application: ChatApplication
    let credentials: ApplicationCredentials
    let host: String
    let port: Int

    var text: String {
        let base = "http://\(host):\(port)"
        let key = credentials.adminAPIKey
        return """
            Demo application \(application.id) created with synthetic dialogs and messages.
              admin API key: \(key)   (shown once; only its hash is stored)
              application_id: \(application.id)   auth_key: \(credentials.authKey)   auth_secret: \(credentials.authSecret)

            Try:
              curl -X GET -H "CB-Administration-API-Key: \(key)" -d 'limit=3' \(base)/admin/chat/list
              curl -X GET -H "CB-Administration-API-Key: \(key)" -d 'limit=3' -d 'sort_desc=updated_at' \(base)/admin/chat/messages/list
              curl -g -H "CB-Administration-API-Key: \(key)" '\(base)/admin/chat/messages/list?limit=3&created_at[gte]=1700000000'

            Export every message (NDJSON; --format csv or json, --resume after an interruption):
              swift run confab export messages --url \(base) --key=\(key) --output messages.ndjson
            """
    }
}

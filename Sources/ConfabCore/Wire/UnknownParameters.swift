/// What an endpoint does with a parameter it does not know, decided once per API.
///
/// The Admin API refuses it by name, so that a typo can never silently widen an export. The
/// chat REST API ignores it, as ConnectyCube does ("will be ignored"): its SDKs send parameters
/// Confab has no use for (`dialogs_ids[]`, `extensions` fields nobody configured), and an app
/// must not break on them.
public enum UnknownParameters: Sendable {
    case refuse
    case ignore

    /// `/admin/…`.
    public static let adminAPI = UnknownParameters.refuse
    /// `/chat/…`, `/users`, `/session`, `/login`.
    public static let chatAPI = UnknownParameters.ignore
}

/// The two collections the admin list endpoints page through.
public enum ChatCollection: String, Sendable {
    case dialogs
    case messages
}

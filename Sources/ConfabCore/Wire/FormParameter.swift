/// One decoded `name=value` pair from a query string or a form-encoded body.
public struct FormParameter: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

import ConfabStore

/// The database named on the command line could not be opened; printed as the command's error.
struct DatabaseUnavailable: Error, CustomStringConvertible {
    let location: DatabaseLocation
    let reason: String

    var description: String { "cannot open \(location): \(reason)" }
}

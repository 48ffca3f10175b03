import Foundation
import Hummingbird

/// ConnectyCube's SDKs call endpoints both bare and with `.json` (`/session`, `/session.json`);
/// Confab answers both.
enum RoutePaths {
    static func withJSONSuffix(_ path: String) -> [RouterPath] {
        [RouterPath(path), RouterPath(path + ".json")]
    }

    /// A path parameter, percent-decoded (`a,%20b` is `a, b`, as the SDKs join ids), without the
    /// `.json` that may end the path.
    static func parameter(_ name: String, of context: ConfabRequestContext) throws -> String {
        let raw = try context.parameters.require(name)
        let value = raw.removingPercentEncoding ?? raw
        return value.hasSuffix(".json") ? String(value.dropLast(5)) : value
    }
}

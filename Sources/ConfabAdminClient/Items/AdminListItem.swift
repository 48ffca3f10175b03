import ConfabCore
import Foundation

/// A row of an admin list as the server sent it: every member kept, in order, custom message
/// fields included, so `json` writes it back unchanged. The members paging needs are read once.
public protocol AdminListItem: Sendable, Equatable {
    /// The list it comes from.
    static var collection: ChatCollection { get }
    /// The item as sent.
    var json: JSONObject { get }
    var id: ObjectId { get }
    /// `created_at` in unix seconds.
    var createdAtSeconds: Int64 { get }
    /// `updated_at` in unix seconds.
    var updatedAtSeconds: Int64 { get }

    /// Reads an item, refusing one without a readable `_id`, `created_at` or `updated_at`.
    init(json: JSONObject) throws(AdminItemError)
}

extension AdminListItem {
    public var createdAt: Date { Date(timeIntervalSince1970: TimeInterval(createdAtSeconds)) }
    public var updatedAt: Date { Date(timeIntervalSince1970: TimeInterval(updatedAtSeconds)) }

    /// The item's key in a list sorted by `field`, as `ListPosition` keeps it.
    func sortKey(_ field: ListField) -> Int64 {
        field.positionKey(createdAt: createdAtSeconds, updatedAt: updatedAtSeconds)
    }

    /// The item as compact JSON text, members in the order the server sent them.
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.object(json)
        return writer.bytes
    }
}

/// The members every item has, read for paging.
struct ItemKeys {
    let id: ObjectId
    let createdAt: Int64
    let updatedAt: Int64

    init(_ json: JSONObject) throws(AdminItemError) {
        guard let idText = json["_id"]?.stringValue, let id = ObjectId(hex: idText) else {
            throw AdminItemError(field: "_id", reason: "is missing or not an ObjectId")
        }
        self.id = id
        createdAt = try Self.seconds(json, "created_at")
        updatedAt = try Self.seconds(json, "updated_at")
    }

    private static func seconds(_ json: JSONObject, _ key: String) throws(AdminItemError) -> Int64 {
        guard let seconds = json[key].flatMap(AdminListJSON.seconds) else {
            throw AdminItemError(field: key, reason: "is missing or not a time")
        }
        return seconds
    }
}

import Testing

@testable import ConfabCore

@Suite struct AdminListJSONTests {
    static let dialogKeys = [
        "_id", "user_id", "created_at", "updated_at", "type", "occupants_ids", "last_message",
        "last_message_date_sent", "last_message_id", "last_message_user_id", "last_message_status", "name",
        "description", "photo", "occupants_count", "xmpp_room_jid", "is_e2ee", "admins_ids", "is_muted",
        "unread_messages_count", "pinned_messages_ids", "deleted_ids", "silent_ids",
    ]

    static let messageKeysBeforeCustom = [
        "_id", "chat_dialog_id", "message", "date_sent", "sender_id", "recipient_id", "created_at", "updated_at",
        "read_ids", "delivered_ids",
    ]

    static let messageKeysAfterCustom = [
        "attachments", "reactions", "views_count", "edited_at", "read", "deleted_for_ids",
    ]

    /// The reference's dialog example (admin-chat-api.txt).
    static let referenceDialog = Dialog(
        id: objectId("620e2b1463ee2a1977b4ee65"), userId: 32241, type: .privateChat, occupantsIds: [32241, 32242],
        lastMessage: LastMessage(
            id: objectId("620e2b14e45f5b089d000008"), text: "Warning! People are coming", dateSent: 1_645_095_709,
            userId: 32241, status: .sent),
        createdAt: 1_645_095_700, updatedAt: 1_645_095_709
    )

    /// The reference's message example (admin-chat-api.txt).
    static let referenceMessage = Message(
        id: objectId("63834bbecf1efb102da40f2c"), chatDialogId: objectId("61721539107bd9002fdb84ed"),
        text: "Warning! People are coming! Right Now. By Http", dateSent: 1_669_548_990, senderId: 4_980_089,
        recipientId: 4_997_495, readIds: [4_980_089], deliveredIds: [4_980_089],
        attachments: [["type": .string("image"), "id": .string("3004")]],
        customFields: ["userExtraData": .null, "mission": .string("take over the planet"), "name": .string("intel")],
        createdAt: 1_669_548_991, updatedAt: 1_669_548_991
    )

    static func parsedPage(_ bytes: [UInt8]) throws -> (page: JSONObject, items: [JSONObject]) {
        let page = try #require(try JSONParser.parse(bytes).objectValue)
        let items = try #require(page["items"]?.arrayValue)
        return (page, try items.map { try #require($0.objectValue) })
    }

    static func encode(_ dialog: Dialog) throws -> JSONObject {
        let page = try parsedPage(AdminListJSON.encode(ListPage(totalEntries: 1, skip: 0, limit: 100, items: [dialog])))
        return try #require(page.items.first)
    }

    static func encode(_ message: Message) throws -> JSONObject {
        let page = try parsedPage(
            AdminListJSON.encode(ListPage(totalEntries: 1, skip: 0, limit: 100, items: [message])))
        return try #require(page.items.first)
    }

    // MARK: Page

    @Test func pageHasTheReferenceTopLevelKeys() throws {
        let bytes = AdminListJSON.encode(
            ListPage(totalEntries: 1788, skip: 20, limit: 100, items: [Self.referenceDialog]))
        let (page, items) = try Self.parsedPage(bytes)
        #expect(keys(of: page) == ["total_entries", "skip", "limit", "items"])
        #expect(page["total_entries"] == .integer(1788))
        #expect(page["skip"] == .integer(20))
        #expect(page["limit"] == .integer(100))
        #expect(items.count == 1)
    }

    @Test func emptyPages() {
        let dialogs = AdminListJSON.encode(ListPage<Dialog>(totalEntries: 0, skip: 0, limit: 100, items: []))
        #expect(String(decoding: dialogs, as: UTF8.self) == #"{"total_entries":0,"skip":0,"limit":100,"items":[]}"#)
        let messages = AdminListJSON.encode(ListPage<Message>(totalEntries: 663, skip: 700, limit: 50, items: []))
        #expect(String(decoding: messages, as: UTF8.self) == #"{"total_entries":663,"skip":700,"limit":50,"items":[]}"#)
    }

    @Test func itemsKeepTheirOrder() throws {
        var second = Self.referenceDialog
        second.id = objectId("620e2b1463ee2a1977b4ee64")
        var third = Self.referenceDialog
        third.id = objectId("5f0000000000000000000001")
        let bytes = AdminListJSON.encode(
            ListPage(totalEntries: 3, skip: 0, limit: 3, items: [Self.referenceDialog, second, third]))
        let items = try Self.parsedPage(bytes).items
        #expect(
            items.map { $0["_id"] } == [
                .string("620e2b1463ee2a1977b4ee65"), .string("620e2b1463ee2a1977b4ee64"),
                .string("5f0000000000000000000001"),
            ])
        #expect(items.allSatisfy { keys(of: $0) == Self.dialogKeys })
    }

    // MARK: Dialogs

    @Test func referenceDialogKeysAndValues() throws {
        let item = try Self.encode(Self.referenceDialog)
        #expect(keys(of: item) == Self.dialogKeys)
        let expected: [String: JSONValue] = [
            "_id": .string("620e2b1463ee2a1977b4ee65"),
            "user_id": .integer(32241),
            "created_at": .string("2022-02-17T11:01:40Z"),
            "updated_at": .string("2022-02-17T11:01:49Z"),
            "type": .integer(3),
            "occupants_ids": .array([.integer(32241), .integer(32242)]),
            "last_message": .string("Warning! People are coming"),
            "last_message_date_sent": .integer(1_645_095_709),
            "last_message_id": .string("620e2b14e45f5b089d000008"),
            "last_message_user_id": .integer(32241),
            "last_message_status": .string("sent"),
            "name": .null, "description": .null, "photo": .null, "occupants_count": .null, "xmpp_room_jid": .null,
            "is_e2ee": .bool(false),
            "admins_ids": .array([]),
            "is_muted": .null, "unread_messages_count": .null,
            "pinned_messages_ids": .array([]),
            "deleted_ids": .array([]),
            "silent_ids": .array([]),
        ]
        for key in Self.dialogKeys {
            #expect(item[key] == expected[key], "\(key)")
        }
    }

    @Test func referenceDialogBytes() {
        var writer = JSONWriter()
        AdminListJSON.write(Self.referenceDialog, to: &writer)
        let expected =
            #"{"_id":"620e2b1463ee2a1977b4ee65","user_id":32241,"created_at":"2022-02-17T11:01:40Z","#
            + #""updated_at":"2022-02-17T11:01:49Z","type":3,"occupants_ids":[32241,32242],"#
            + #""last_message":"Warning! People are coming","last_message_date_sent":1645095709,"#
            + #""last_message_id":"620e2b14e45f5b089d000008","last_message_user_id":32241,"#
            + #""last_message_status":"sent","name":null,"description":null,"photo":null,"occupants_count":null,"#
            + #""xmpp_room_jid":null,"is_e2ee":false,"admins_ids":[],"is_muted":null,"unread_messages_count":null,"#
            + #""pinned_messages_ids":[],"deleted_ids":[],"silent_ids":[]}"#
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }

    @Test func fullGroupDialog() throws {
        let pinned = [objectId("63834bbecf1efb102da40f2c"), objectId("63834bbecf1efb102da40f2d")]
        let dialog = Dialog(
            id: objectId("6553f1000102030405000001"), userId: 10001, type: .group, name: "Release \"2.0\"",
            description: "Talk about release", photo: "https://files.confab.local/photos/1.png",
            occupantsIds: [10001, 10002, 10003], occupantsCount: 3,
            xmppRoomJid: "7_6553f1000102030405000001@muc.chat.confab.local", isE2ee: true, adminsIds: [10002],
            pinnedMessagesIds: pinned,
            lastMessage: LastMessage(
                id: objectId("6553f2000102030405000009"), text: "Привет 👍", dateSent: 1_700_000_512, userId: 10003,
                status: .read),
            deletedIds: [10003], silentIds: [10002, 10001], createdAt: 1_700_000_000, updatedAt: 1_700_000_600
        )
        let item = try Self.encode(dialog)
        #expect(keys(of: item) == Self.dialogKeys)
        #expect(item["type"] == .integer(2))
        #expect(item["name"] == .string("Release \"2.0\""))
        #expect(item["description"] == .string("Talk about release"))
        #expect(item["photo"] == .string("https://files.confab.local/photos/1.png"))
        #expect(item["occupants_count"] == .integer(3))
        #expect(item["xmpp_room_jid"] == .string("7_6553f1000102030405000001@muc.chat.confab.local"))
        #expect(item["is_e2ee"] == .bool(true))
        #expect(item["admins_ids"] == .array([.integer(10002)]))
        #expect(item["last_message"] == .string("Привет 👍"))
        #expect(item["last_message_status"] == .string("read"))
        #expect(item["last_message_user_id"] == .integer(10003))
        #expect(item["last_message_id"] == .string("6553f2000102030405000009"))
        #expect(item["updated_at"] == .string(UTCTimestamp.iso8601(1_700_000_600)))
        #expect(
            item["pinned_messages_ids"]
                == .array([.string("63834bbecf1efb102da40f2c"), .string("63834bbecf1efb102da40f2d")]))
        #expect(item["deleted_ids"] == .array([.integer(10003)]))
        #expect(item["silent_ids"] == .array([.integer(10002), .integer(10001)]))
        #expect(item["is_muted"] == .null)
        #expect(item["unread_messages_count"] == .null)
    }

    @Test func dialogWithoutMessagesHasExplicitNullLastMessageFields() throws {
        let dialog = Dialog(
            id: objectId("6553f1000102030405000002"), userId: 1, type: .publicGroup, name: "Hiking",
            occupantsIds: [], occupantsCount: 40, xmppRoomJid: "1_6553f1000102030405000002@muc.x",
            createdAt: 1_700_000_000, updatedAt: 1_700_000_000)
        let item = try Self.encode(dialog)
        #expect(keys(of: item) == Self.dialogKeys)
        for key in [
            "last_message", "last_message_date_sent", "last_message_id", "last_message_user_id", "last_message_status",
        ] {
            #expect(item[key] == .null, "\(key)")
        }
        #expect(item["occupants_ids"] == .array([]))
        #expect(item["occupants_count"] == .integer(40))
        #expect(item["type"] == .integer(4))
    }

    @Test func lastMessageWithoutTextIsNullText() throws {
        var dialog = Self.referenceDialog
        dialog.lastMessage?.text = nil
        dialog.lastMessage?.status = .delivered
        let item = try Self.encode(dialog)
        #expect(item["last_message"] == .null)
        #expect(item["last_message_id"] == .string("620e2b14e45f5b089d000008"))
        #expect(item["last_message_status"] == .string("delivered"))
    }

    @Test(arguments: DialogType.allCases)
    func dialogTypeIsItsWireNumber(type: DialogType) throws {
        var dialog = Self.referenceDialog
        dialog.type = type
        #expect(try Self.encode(dialog)["type"] == .integer(Int64(type.rawValue)))
        let expected: [DialogType: Int] = [.broadcast: 1, .group: 2, .privateChat: 3, .publicGroup: 4]
        #expect(type.rawValue == expected[type])
        #expect(type.hasRoom == (type != .privateChat))
    }

    // MARK: Messages

    @Test func referenceMessageKeysAndValues() throws {
        let item = try Self.encode(Self.referenceMessage)
        #expect(
            keys(of: item)
                == Self.messageKeysBeforeCustom + ["userExtraData", "mission", "name"] + Self.messageKeysAfterCustom)
        #expect(item["_id"] == .string("63834bbecf1efb102da40f2c"))
        #expect(item["chat_dialog_id"] == .string("61721539107bd9002fdb84ed"))
        #expect(item["message"] == .string("Warning! People are coming! Right Now. By Http"))
        #expect(item["date_sent"] == .integer(1_669_548_990))
        #expect(item["sender_id"] == .integer(4_980_089))
        #expect(item["recipient_id"] == .integer(4_997_495))
        #expect(item["created_at"] == .string("2022-11-27T11:36:31Z"))
        #expect(item["updated_at"] == .string("2022-11-27T11:36:31Z"))
        #expect(item["read_ids"] == .array([.integer(4_980_089)]))
        #expect(item["delivered_ids"] == .array([.integer(4_980_089)]))
        #expect(item["userExtraData"] == .null)
        #expect(item["mission"] == .string("take over the planet"))
        #expect(item["name"] == .string("intel"))
        #expect(item["attachments"] == .array([.object(["type": .string("image"), "id": .string("3004")])]))
        #expect(item["reactions"] == .null)
        #expect(item["views_count"] == .integer(0))
        #expect(item["edited_at"] == .null)
        #expect(item["read"] == .integer(0))
        #expect(item["deleted_for_ids"] == .array([]))
    }

    @Test func referenceMessageBytes() {
        var writer = JSONWriter()
        AdminListJSON.write(Self.referenceMessage, to: &writer)
        let expected =
            #"{"_id":"63834bbecf1efb102da40f2c","chat_dialog_id":"61721539107bd9002fdb84ed","#
            + #""message":"Warning! People are coming! Right Now. By Http","date_sent":1669548990,"#
            + #""sender_id":4980089,"recipient_id":4997495,"created_at":"2022-11-27T11:36:31Z","#
            + #""updated_at":"2022-11-27T11:36:31Z","read_ids":[4980089],"delivered_ids":[4980089],"#
            + #""userExtraData":null,"mission":"take over the planet","name":"intel","#
            + #""attachments":[{"type":"image","id":"3004"}],"reactions":null,"views_count":0,"edited_at":null,"#
            + #""read":0,"deleted_for_ids":[]}"#
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }

    @Test func messageWithoutCustomFieldsGoesStraightToAttachments() throws {
        let message = Message(
            id: objectId("6553f2000102030405000001"), chatDialogId: objectId("6553f1000102030405000001"), text: nil,
            dateSent: 1_700_000_100, senderId: 10001, createdAt: 1_700_000_100, updatedAt: 1_700_000_100)
        let item = try Self.encode(message)
        #expect(keys(of: item) == Self.messageKeysBeforeCustom + Self.messageKeysAfterCustom)
        #expect(item["message"] == .null)
        #expect(item["recipient_id"] == .integer(0))
        #expect(item["read_ids"] == .array([]))
        #expect(item["attachments"] == .array([]))
        #expect(item["reactions"] == .null)
        #expect(item["read"] == .integer(0))
    }

    @Test func customFieldsKeepTheirOrderAndValues() throws {
        var message = Self.referenceMessage
        message.customFields = [
            "z_last": .integer(1), "a_first": .array([.bool(true), .number(2.5)]),
            "nested": .object(["b": .null, "a": .string("x")]),
        ]
        let item = try Self.encode(message)
        #expect(
            keys(of: item) == Self.messageKeysBeforeCustom + ["z_last", "a_first", "nested"]
                + Self.messageKeysAfterCustom)
        #expect(item["a_first"] == .array([.bool(true), .number(2.5)]))
        let nested = try #require(item["nested"]?.objectValue)
        #expect(keys(of: nested) == ["b", "a"])
    }

    @Test func attachmentsKeepEveryKeyInOrder() throws {
        var message = Self.referenceMessage
        let image: JSONObject = [
            "type": .string("image"), "id": .string("3004"), "url": .string("https://files.confab.local/3004.jpg"),
            "content-type": .string("image/jpeg"), "width": .integer(1280), "height": .integer(960),
            "size": .integer(100_000),
        ]
        let file: JSONObject = ["type": .string("file"), "name": .string("report.pdf"), "data": .string("{\"k\":1}")]
        message.attachments = [image, file]
        let attachments = try #require(try Self.encode(message)["attachments"]?.arrayValue)
        #expect(attachments == [.object(image), .object(file)])
        #expect(
            keys(of: try #require(attachments.first?.objectValue)) == [
                "type", "id", "url", "content-type", "width", "height", "size",
            ])
    }

    @Test func reactionsAreTotalsWithAnEmptyOwn() throws {
        var message = Self.referenceMessage
        message.reactions = [Reaction(emoji: "👍", userIds: [1, 2, 3]), Reaction(emoji: "❤️", userIds: [4])]
        let item = try Self.encode(message)
        let reactions = try #require(item["reactions"]?.objectValue)
        #expect(keys(of: reactions) == ["own", "total"])
        #expect(reactions["own"] == .array([]))
        let total = try #require(reactions["total"]?.objectValue)
        #expect(keys(of: total) == ["👍", "❤️"])
        #expect(total["👍"] == .integer(3))
        #expect(total["❤️"] == .integer(1))
        var writer = JSONWriter()
        AdminListJSON.write(message, to: &writer)
        #expect(
            String(decoding: writer.bytes, as: UTF8.self).contains(#""reactions":{"own":[],"total":{"👍":3,"❤️":1}}"#))
    }

    @Test func readIsOneOnceSomeoneElseHasRead() throws {
        var message = Self.referenceMessage
        #expect(try Self.encode(message)["read"] == .integer(0))
        message.readIds = [4_980_089, 4_997_495]
        message.deliveredIds = [4_980_089, 4_997_495]
        #expect(try Self.encode(message)["read"] == .integer(1))
        message.readIds = [4_997_495]
        #expect(try Self.encode(message)["read"] == .integer(1))
        message.readIds = []
        #expect(try Self.encode(message)["read"] == .integer(0))
    }

    @Test func editsViewsAndDeletionsAreShown() throws {
        var message = Self.referenceMessage
        message.editedAt = 1_669_549_000
        message.viewsCount = 17
        message.deletedForIds = [4_997_495, 42]
        message.updatedAt = 1_669_549_000
        let item = try Self.encode(message)
        #expect(item["edited_at"] == .integer(1_669_549_000))
        #expect(item["views_count"] == .integer(17))
        #expect(item["deleted_for_ids"] == .array([.integer(4_997_495), .integer(42)]))
        #expect(item["updated_at"] == .string("2022-11-27T11:36:40Z"))
    }

    @Test func textIsEscaped() throws {
        var message = Self.referenceMessage
        message.text = "line 1\nline \"2\"\t\\ \u{1}"
        let bytes = AdminListJSON.encode(ListPage(totalEntries: 1, skip: 0, limit: 1, items: [message]))
        #expect(!bytes.contains { $0 < 0x20 })
        let item = try #require(try Self.parsedPage(bytes).items.first)
        #expect(item["message"] == .string("line 1\nline \"2\"\t\\ \u{1}"))
    }
}

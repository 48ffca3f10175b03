import ConfabData
import Testing

@testable import ConfabCore

@Suite("Reading exports back: times, items, streams")
struct ExportReadingTests {
    @Test(
        "ISO 8601 times read back to the seconds they were written from",
        arguments: [Int64(0), 1_645_095_700, 951_782_400, 4_107_542_400, 253_402_300_799, -1, -86_401, -2_208_988_800]
    )
    func timesRoundTrip(seconds: Int64) {
        #expect(UTCTimestamp.seconds(iso8601: UTCTimestamp.iso8601(seconds)) == seconds)
    }

    @Test("other accepted forms, and what is refused")
    func timeForms() {
        #expect(UTCTimestamp.seconds(iso8601: "2022-02-17") == 1_645_056_000)
        #expect(UTCTimestamp.seconds(iso8601: "2022-02-17T11:01:40.123Z") == 1_645_095_700)
        #expect(UTCTimestamp.seconds(iso8601: "2022-02-17T11:01:40+00:00") == 1_645_095_700)
        for bad in [
            "", "2022-02-30", "2023-02-29T00:00:00Z", "2022-13-01", "2022-02-17T24:00:00Z", "2022-02-17T11:60:00Z",
            "2022-02-17T11:01:40", "2022-02-17T11:01:40+02:00", "17/02/2022", "2022-02-17T11:01:40.Z", "１２３４-01-01",
        ] {
            #expect(UTCTimestamp.seconds(iso8601: bad) == nil, "\(bad)")
        }
    }

    @Test("dialogs and messages read back from their admin list JSON write the same JSON again")
    func itemsRoundTrip() throws {
        var generator = SyntheticChatGenerator(
            plan: SyntheticChatPlan(applicationId: 1, dialogs: 40, messages: 800, seed: 3))
        var checkedCustom = false
        var checkedReactions = false
        while let batch = generator.nextBatch(maximumMessages: 400) {
            for dialog in batch.dialogs {
                var writer = JSONWriter()
                AdminListJSON.write(dialog, to: &writer)
                let read = try AdminListJSON.dialog(from: #require(JSONParser.parse(writer.bytes).objectValue))
                var expected = dialog
                expected.subscribersIds = []  // not shown by the admin list
                #expect(read == expected)
            }
            for message in batch.messages {
                var writer = JSONWriter()
                AdminListJSON.write(message, to: &writer)
                let read = try AdminListJSON.message(from: #require(JSONParser.parse(writer.bytes).objectValue))
                var again = JSONWriter()
                AdminListJSON.write(read, to: &again)
                #expect(again.bytes == writer.bytes)
                #expect(read.customFields == message.customFields)
                checkedCustom = checkedCustom || !message.customFields.isEmpty
                checkedReactions = checkedReactions || !message.reactions.isEmpty
            }
        }
        #expect(checkedCustom && checkedReactions)
    }

    @Test("the reference's response items read, with ConnectyCube's nulls and custom fields")
    func referenceItems() throws {
        let dialog = try AdminListJSON.dialog(
            from: #require(
                JSONParser.parse(
                    #"{ "_id": "620e2b1463ee2a1977b4ee65", "user_id": 32241, "created_at": "2022-02-17T11:01:40Z", "updated_at": "2022-02-17T11:01:49Z", "type": 3, "occupants_ids":[32241, 32242], "last_message": "Warning! People are coming", "last_message_date_sent": 1645095709, "last_message_id": "620e2b14e45f5b089d000008", "last_message_user_id": 32241, "last_message_status": "sent", "name": null, "description": null, "photo": null, "occupants_count": null, "xmpp_room_jid": null, "is_e2ee": null, "admins_ids":[], "is_muted": null, "unread_messages_count": null, "pinned_messages_ids": null, "deleted_ids":[], "silent_ids":[] }"#
                ).objectValue))
        #expect(dialog.type == .privateChat)
        #expect(dialog.createdAt == 1_645_095_700 && dialog.updatedAt == 1_645_095_709)
        #expect(dialog.lastMessage?.text == "Warning! People are coming")
        #expect(dialog.isE2ee == false && dialog.pinnedMessagesIds.isEmpty)

        let message = try AdminListJSON.message(
            from: #require(
                JSONParser.parse(
                    #"{ "_id": "63834bbecf1efb102da40f2c", "chat_dialog_id": "61721539107bd9002fdb84ed", "message": "Warning! People are coming! Right Now. By Http", "date_sent": 1669548990, "sender_id": 4980089, "recipient_id": 4997495, "created_at": "2022-11-27T11:36:31Z", "updated_at": "2022-11-27T11:36:31Z", "read_ids": [4980089], "delivered_ids": [4980089], "userExtraData": null, "mission": "take over the planet", "name": "intel", "attachments": [ { "type": "image", "id": "3004" } ], "reactions": {"own": [], "total": {"👍": 2}}, "views_count": 0, "edited_at": null, "read": 0 }"#
                ).objectValue))
        #expect(message.customFields.members.map(\.key) == ["userExtraData", "mission", "name"])
        #expect(message.customFields["userExtraData"] == .null)
        #expect(message.attachments == [["type": .string("image"), "id": .string("3004")]])
        #expect(message.reactions.map(\.emoji) == ["👍"] && message.reactions[0].userIds.count == 2)
        #expect(message.reactions[0].userIds.allSatisfy { $0 < 0 }, "who reacted is unknown: no real user may stand in")
    }

    @Test("items that cannot be read name their field")
    func badItems() {
        let cases: [(String, String)] = [
            (#"{"chat_dialog_id":"61721539107bd9002fdb84ed"}"#, "_id is missing"),
            (#"{"_id":"zz","chat_dialog_id":"61721539107bd9002fdb84ed"}"#, "_id must be an ObjectId"),
            (
                #"{"_id":"63834bbecf1efb102da40f2c","chat_dialog_id":"61721539107bd9002fdb84ed","sender_id":1,"created_at":"yesterday","updated_at":1}"#,
                "created_at must be a time"
            ),
            (
                #"{"_id":"63834bbecf1efb102da40f2c","chat_dialog_id":"61721539107bd9002fdb84ed","sender_id":"me","created_at":1,"updated_at":1}"#,
                "sender_id must be a whole number"
            ),
            (
                #"{"_id":"63834bbecf1efb102da40f2c","chat_dialog_id":"61721539107bd9002fdb84ed","sender_id":1,"created_at":1,"updated_at":1,"read_ids":[1,"2"]}"#,
                "read_ids must hold whole numbers only"
            ),
        ]
        for (text, expected) in cases {
            let error = #expect(throws: AdminItemError.self, "\(expected)") {
                try AdminListJSON.message(from: JSONParser.parse(text).objectValue ?? [:])
            }
            #expect(error?.description.hasPrefix(expected) == true, "\(String(describing: error))")
        }
    }

    @Test("a stream splits into its values whatever the chunk size; a cut value is an error")
    func splitter() throws {
        let text = "{\"a\":\"}{[\\\"\"}\n[1,{\"b\":[]}]  \r\n{\"c\":{\"d\":\"]\"}}\n"
        for size in [1, 2, 3, 7, 100] {
            var splitter = JSONValueSplitter()
            var values = [String]()
            let bytes = Array(text.utf8)
            for start in stride(from: 0, to: bytes.count, by: size) {
                values += try splitter.split(bytes[start..<min(start + size, bytes.count)]).map {
                    String(decoding: $0, as: UTF8.self)
                }
            }
            try splitter.finish()
            #expect(values == ["{\"a\":\"}{[\\\"\"}", "[1,{\"b\":[]}]", "{\"c\":{\"d\":\"]\"}}"], "chunks of \(size)")
        }
        var cut = JSONValueSplitter()
        #expect(try cut.split(Array("{\"a\":1}\n{\"b\":".utf8)).count == 1)
        #expect(throws: JSONParser.SyntaxError.self) { try cut.finish() }
        var scalar = JSONValueSplitter()
        #expect(throws: JSONParser.SyntaxError.self) { try scalar.split(Array(" 42".utf8)) }
    }
}

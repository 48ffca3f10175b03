import ConfabCore
import ConfabTestSupport
import Foundation
import Testing

@testable import ConfabAdminClient

/// An export written through to NDJSON takes each item's position keys from `LineKeys`, without
/// building the item: it must read what the parser reads, and nothing else.
@Suite("Keys of an exported line")
struct LineKeysTests {
    @Test("every item of a fixture's lists: the keys the parser reads")
    func fixtureLines() async throws {
        let fixture = try await withTemporaryStore(.sqlite) { store in
            try await ChatFixture.make(in: store, dialogs: 25, messages: 600, tiedMessages: 30)
        }
        var lines = [[UInt8]]()
        for message in fixture.messages {
            var writer = JSONWriter()
            AdminListJSON.write(message, to: &writer)
            lines.append(writer.bytes)
        }
        for dialog in fixture.dialogs {
            var writer = JSONWriter()
            AdminListJSON.write(dialog, to: &writer)
            lines.append(writer.bytes)
        }
        for line in lines {
            let object = try #require(try JSONParser.parse(line).objectValue)
            let parsed = try ItemKeys(object)
            #expect(
                LineKeys(line[...])
                    == LineKeys(id: parsed.id, createdAt: parsed.createdAt, updatedAt: parsed.updatedAt),
                "\(String(decoding: line, as: UTF8.self))")
        }
    }

    @Test(
        "members of nested objects and text that looks like a member do not count; other shapes are left to the parser")
    func hostileLines() throws {
        let id = "66413eeaec89025cc17657cb"
        let time = "2024-05-12T22:12:58Z"
        let line =
            #"{"message":"\",\"_id\":\"000000000000000000000000","attachments":[{"_id":"111111111111111111111111","created_at":"2020-01-01T00:00:00Z"}],"#
            + #""extra":{"updated_at":"2020-01-01T00:00:00Z"},"_id":"\#(id)","created_at":"\#(time)","updated_at":"\#(time)"}"#
        let keys = try #require(LineKeys(Array(line.utf8)[...]))
        #expect(keys.id == ObjectId(hex: id))
        #expect(keys.createdAt == UTCTimestamp.seconds(iso8601: time))
        #expect(keys.updatedAt == keys.createdAt)
        for other in [
            #"{"_id":"\#(id)","created_at":1715551978,"updated_at":"\#(time)"}"#,  // a number: the parser's
            #"{"_id":"\#(id)","created_at":"\#(time)"}"#,  // no updated_at
            #"{"_id":"\#(id)","created_at":"\#(time)","updated_at":"\#(time)""#,  // cut
            #"{"_id":"\#(id)","created_at":"\#(time)","updated_at":"\#(time)","x":"unterminated}"#,
        ] {
            #expect(LineKeys(Array(other.utf8)[...]) == nil, "\(other)")
        }
    }
}

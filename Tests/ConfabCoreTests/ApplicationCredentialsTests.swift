import Foundation
import Testing

@testable import ConfabCore

@Suite struct ApplicationCredentialsTests {
    static let urlSafe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Decodes unpadded base64url.
    static func decode(_ token: String) -> Data? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    @Test func lengthsFollowTheRandomBytes() {
        for _ in 0..<50 {
            let credentials = ApplicationCredentials.random()
            // 12, 24 and 32 random bytes in base64url without padding.
            #expect(credentials.authKey.utf8.count == 16)
            #expect(credentials.authSecret.utf8.count == 32)
            #expect(credentials.adminAPIKey.utf8.count == 43)
        }
    }

    @Test func onlyURLSafeCharacters() {
        for _ in 0..<50 {
            let credentials = ApplicationCredentials.random()
            for token in [credentials.authKey, credentials.authSecret, credentials.adminAPIKey] {
                #expect(token.utf8.allSatisfy { Self.urlSafe.contains($0) }, "\(token)")
            }
        }
    }

    @Test func tokensAreCanonicalBase64URLOfTheirByteCount() throws {
        for _ in 0..<50 {
            let credentials = ApplicationCredentials.random()
            #expect(try #require(Self.decode(credentials.authKey)).count == 12)
            #expect(try #require(Self.decode(credentials.authSecret)).count == 24)
            let adminKey = try #require(Self.decode(credentials.adminAPIKey))
            #expect(adminKey.count == 32)
            // 256 bits leave 2 padding bits in the last character, which must be zero.
            #expect(Set("AEIMQUYcgkosw048".utf8).contains(credentials.adminAPIKey.utf8.last!))
            // Re-encoding gives the same text: every bit of the token comes from the bytes.
            let reencoded = adminKey.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(reencoded == credentials.adminAPIKey)
        }
    }

    @Test func valuesAreDistinct() {
        let all = (0..<200).map { _ in ApplicationCredentials.random() }
        #expect(Set(all.map(\.authKey)).count == 200)
        #expect(Set(all.map(\.authSecret)).count == 200)
        #expect(Set(all.map(\.adminAPIKey)).count == 200)
        for credentials in all {
            #expect(credentials.authKey != credentials.authSecret)
            #expect(credentials.authSecret != credentials.adminAPIKey)
            #expect(!credentials.adminAPIKey.hasPrefix(credentials.authKey))
        }
    }

    @Test func bitsAreSpreadOverTheWholeAlphabet() {
        // 200 × 43 characters from a 64-letter alphabet: every letter turns up.
        let text = (0..<200).map { _ in ApplicationCredentials.random().adminAPIKey }.joined()
        #expect(Set(text.utf8) == Self.urlSafe)
    }
}

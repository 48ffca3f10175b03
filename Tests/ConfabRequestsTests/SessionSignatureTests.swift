import ConfabCore
import ConfabRequests
import Testing

@Suite("The POST /session signature")
struct SessionSignatureTests {
    /// The fixed example, as a request nests it; the expected hex was computed independently
    /// (Python's `hmac` over the same text).
    static let example: JSONObject = [
        "application_id": .integer(22),
        "auth_key": .string("wJHd4cQSxpQGWx5"),
        "nonce": .string("33432"),
        "timestamp": .integer(1_326_966_962),
        "user": .object(["login": .string("injoit"), "password": .string("injoit1")]),
        "signature": .string("ignored"),
    ]

    @Test("a user session's parameters: sorted, user fields as user[login], signature left out")
    func userSession() {
        let message = SessionSignature.message(Self.example)
        #expect(
            message
                == "application_id=22&auth_key=wJHd4cQSxpQGWx5&nonce=33432&timestamp=1326966962&user[login]=injoit&user[password]=injoit1"
        )
        #expect(SessionSignature.sign(message, secret: "BnO2qgq6QE4Fv3z") == "3acfc8890efc50a6a3085d9b7769a2c6a6c76ebb")
        #expect(
            SessionSignature.isValid(
                "3acfc8890efc50a6a3085d9b7769a2c6a6c76ebb", for: Self.example, secret: "BnO2qgq6QE4Fv3z"))
        #expect(
            SessionSignature.isValid(
                "3ACFC8890EFC50A6A3085D9B7769A2C6A6C76EBB", for: Self.example, secret: "BnO2qgq6QE4Fv3z"))
    }

    @Test("an application session without user fields")
    func applicationSession() {
        var parameters = Self.example
        parameters["user"] = nil
        #expect(
            SessionSignature.sign(SessionSignature.message(parameters), secret: "BnO2qgq6QE4Fv3z")
                == "a590acd1294d556ef2a9675892028a1358e45117")
    }

    @Test("another secret, a changed parameter or a cut signature does not verify")
    func mismatches() {
        let good = "3acfc8890efc50a6a3085d9b7769a2c6a6c76ebb"
        #expect(!SessionSignature.isValid(good, for: Self.example, secret: "other"))
        var changed = Self.example
        changed["nonce"] = .string("33433")
        #expect(!SessionSignature.isValid(good, for: changed, secret: "BnO2qgq6QE4Fv3z"))
        #expect(!SessionSignature.isValid(String(good.dropLast()), for: Self.example, secret: "BnO2qgq6QE4Fv3z"))
        #expect(!SessionSignature.isValid("", for: Self.example, secret: "BnO2qgq6QE4Fv3z"))
    }
}

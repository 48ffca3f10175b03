import ConfabCore
import ConfabRequests
import FuzzSupport

/// `POST /session`'s parameters as the server reads them (SessionController):
/// `RequestInput.object`, then `SessionRequest.read`, then the signature check. What is read is
/// within its bounds, and the same parameters with the right signature are signed.
/// Input: see `FuzzRequest`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let request = FuzzRequest(start, count)
    guard
        let parameters = try? RequestInput.object(
            query: request.query.utf8, body: request.body, contentType: request.contentType, limits: request.limits),
        let session = try? SessionRequest.read(parameters)
    else { return 0 }

    invariant((1...Int(Int32.max)).contains(session.applicationId), "application_id \(session.applicationId)")
    invariant((1...256).contains(session.authKey.utf8.count), "auth_key of \(session.authKey.utf8.count) bytes")
    invariant((1...256).contains(session.signature.utf8.count), "signature of \(session.signature.utf8.count) bytes")
    if let credentials = session.credentials {
        invariant(credentials.login != nil || credentials.email != nil, "credentials without login or email")
        invariant(
            (1...UserLimits.passwordBytes.upperBound).contains(credentials.password.utf8.count),
            "password of \(credentials.password.utf8.count) bytes")
    }

    let expected = SessionSignature.sign(SessionSignature.message(parameters), secret: "secret")
    invariant(
        session.isSigned(with: "secret") == session.signature.lowercased().utf8.elementsEqual(expected.utf8),
        "isSigned disagrees with comparing \(session.signature) to \(expected)")

    // The same request signed as a client signs it is accepted, in either case, under that secret only.
    var signed = parameters
    signed["signature"] = .string(expected)
    guard let resigned = try? SessionRequest.read(signed) else {
        fatalError("with its signature replaced, \(signed) is no longer read")
    }
    invariant(resigned.isSigned(with: "secret"), "the right signature is refused for \(signed)")
    invariant(!resigned.isSigned(with: "other secret"), "a signature is accepted under another secret")
    signed["signature"] = .string(expected.uppercased())
    invariant(
        (try? SessionRequest.read(signed))?.isSigned(with: "secret") == true, "an upper-case signature is refused")
    return 0
}

/// Host names as Confab echoes or configures them: letters, digits and `-.:[]` (a DNS name, an
/// IPv4 or a bracketed IPv6 address, with an optional port), 1 to 255 bytes.
public enum HostName {
    public static func isPlain(_ text: some StringProtocol) -> Bool {
        (1...255).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || Array("-.:[]".utf8).contains(byte)
            }
    }
}

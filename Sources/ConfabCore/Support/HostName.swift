/// Host names as Confab echoes or configures them: letters, digits and `-.:[]` (a DNS name, an
/// IPv4 or a bracketed IPv6 address, with an optional port), 1 to 255 bytes.
public enum HostName {
    private static let punctuation = Set("-.:[]".utf8)

    public static func isPlain(_ text: some StringProtocol) -> Bool {
        (1...255).contains(text.utf8.count)
            && text.utf8.allSatisfy { $0.isASCIIAlphanumeric || Self.punctuation.contains($0) }
    }
}

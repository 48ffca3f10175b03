extension StringProtocol {
    /// Without the spaces around it: ConnectyCube's SDKs join lists with ", ".
    package var trimmingSpaces: String {
        var slice = self[...]
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}

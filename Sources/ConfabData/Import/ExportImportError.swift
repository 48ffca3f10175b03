/// An export file that cannot be imported: which item (counting from 1) or byte, and why.
/// Everything before that item's batch was imported; running the import again after fixing
/// the file continues where it stopped, since rows already there are left alone.
public struct ExportImportError: Error, Sendable, CustomStringConvertible {
    public let item: Int?
    public let byteOffset: Int?
    public let reason: String

    public var description: String {
        switch (item, byteOffset) {
        case (let item?, _): "item \(item): \(reason)"
        case (nil, let offset?): "byte \(offset): \(reason)"
        case (nil, nil): reason
        }
    }
}

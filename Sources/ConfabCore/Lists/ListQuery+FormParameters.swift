extension ListQuery {
    /// The parameters that ask a list for this page: what `ListQueryParser` reads back as
    /// this query. The sort is always given, so that a server with another default (ConnectyCube's
    /// own) returns the same order.
    public var formParameters: [FormParameter] {
        var parameters = [FormParameter]()
        if let chatDialogId { parameters.append(FormParameter(name: "chat_dialog_id", value: chatDialogId.hex)) }
        for name in extensions.keys.sorted() {
            parameters.append(FormParameter(name: "extensions[\(name)]", value: extensions[name]!))
        }
        for filter in filters {
            parameters.append(FormParameter(name: filter.parameterName, value: filter.parameterValue))
        }
        let direction = sort.direction == .ascending ? "sort_asc" : "sort_desc"
        parameters.append(FormParameter(name: direction, value: sort.field.rawValue))
        parameters.append(FormParameter(name: "limit", value: String(limit)))
        if skip > 0 { parameters.append(FormParameter(name: "skip", value: String(skip))) }
        if countOnly { parameters.append(FormParameter(name: "count", value: "1")) }
        return parameters
    }
}

import ConfabCore

extension AdminClient {
    /// How many messages were sent from `start` through `end` (unix seconds, each inclusive,
    /// `nil` open), by `date_sent`: `GET /admin/stats/messages/sent-total`.
    public func messagesSent(from start: Int64? = nil, through end: Int64? = nil) async throws -> Int {
        try await total(StatsQuery(subject: .messagesSent, start: start, end: end))
    }

    /// Messages sent per UTC day, the days with any, ascending: `offset` of them skipped, then
    /// at most `limit` (1 to 100): `GET /admin/stats/messages/sent-per-day`.
    public func messagesSentPerDay(
        from start: Int64? = nil, through end: Int64? = nil, offset: Int = 0, limit: Int = DayWindow.maximumLimit
    ) async throws -> [DayCount] {
        try await perDay(
            StatsQuery(
                subject: .messagesSent, start: start, end: end, days: DayWindow(offset: offset, limit: limit)))
    }

    /// How many dialogs of `types` (every type when empty) were created from `start` through
    /// `end`: `GET /admin/stats/dialogs/created-total`.
    public func dialogsCreated(
        from start: Int64? = nil, through end: Int64? = nil, types: [DialogType] = []
    ) async throws -> Int {
        try await total(StatsQuery(subject: .dialogsCreated, start: start, end: end, types: types))
    }

    /// Dialogs created per UTC day: `GET /admin/stats/dialogs/created-per-day`.
    public func dialogsCreatedPerDay(
        from start: Int64? = nil, through end: Int64? = nil, types: [DialogType] = [], offset: Int = 0,
        limit: Int = DayWindow.maximumLimit
    ) async throws -> [DayCount] {
        try await perDay(
            StatsQuery(
                subject: .dialogsCreated, start: start, end: end, types: types,
                days: DayWindow(offset: offset, limit: limit)))
    }

    private func total(_ query: StatsQuery) async throws -> Int {
        try await answer(query, StatsJSON.readTotal)
    }

    private func perDay(_ query: StatsQuery) async throws -> [DayCount] {
        try await answer(query, StatsJSON.readPerDay)
    }

    /// The endpoint's answer read by `read`; an answer it cannot read is `.incompatibleServer`.
    private func answer<Answer>(_ query: StatsQuery, _ read: ([UInt8]) throws -> Answer) async throws -> Answer {
        let parameters = query.formParameters
        let url =
            baseURL + "/admin/" + query.endpoint.path + (parameters.isEmpty ? "" : "?" + Self.queryString(parameters))
        let body = try await get(url)
        do {
            return try read(body)
        } catch {
            throw AdminClientError(.incompatibleServer, status: 200, messages: ["GET \(url): \(error)"])
        }
    }
}

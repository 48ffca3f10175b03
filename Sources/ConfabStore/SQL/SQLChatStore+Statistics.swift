import ConfabCore

extension SQLChatStore {
    public func statisticsTotal(applicationId: Int, query: StatsQuery) async throws -> Int {
        try await listSessions.withTransaction(begin: dialect.beginRead) { session in
            try await DayCounter.total(query, applicationId: applicationId, on: session.sql)
        }
    }

    public func statisticsPerDay(applicationId: Int, query: StatsQuery) async throws -> [DayCount] {
        try await listSessions.withTransaction(begin: dialect.beginRead) { session in
            try await DayCounter.perDay(query, applicationId: applicationId, on: session.sql)
        }
    }
}

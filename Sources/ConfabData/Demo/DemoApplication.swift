import ConfabCore
import ConfabStore
import Foundation

extension ChatStore {
    /// On an empty database, creates the application `Demo` filled with `SyntheticChatPlan.demo`
    /// and returns it with its credentials (the only time the admin key exists in clear);
    /// `nil` when the database holds an application already.
    public func createDemoApplicationIfEmpty() async throws -> (ChatApplication, ApplicationCredentials)? {
        guard try await applications().isEmpty else { return nil }
        let credentials = ApplicationCredentials.random()
        let application = try await createApplication(
            name: "Demo", credentials: credentials, createdAt: Int64(Date().timeIntervalSince1970))
        try await load(.demo(applicationId: application.id))
        return (application, credentials)
    }
}

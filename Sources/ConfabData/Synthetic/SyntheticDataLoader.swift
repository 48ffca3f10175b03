import ConfabCore
import ConfabStore

extension ChatStore {
    /// Writes the synthetic data of `plan` into its application, one transaction per batch.
    ///
    /// - Parameter progress: called after each batch with the dialogs and messages written so far.
    /// - Throws: `StoreError.unknownApplication`, or `StoreError.conflict` when the same plan
    ///   (same seed) was loaded into this application before.
    public func load(
        _ plan: SyntheticChatPlan,
        messagesPerBatch: Int = 20_000,
        progress: (_ dialogs: Int, _ messages: Int) -> Void = { _, _ in }
    ) async throws {
        var generator = SyntheticChatGenerator(plan: plan)
        var dialogs = 0
        var messages = 0
        var next = generator.nextBatch(maximumMessages: messagesPerBatch)
        while let batch = next {
            // The database writes this batch while the next one is generated.
            async let written: Void = insert(
                dialogs: batch.dialogs, messages: batch.messages, applicationId: plan.applicationId)
            next = generator.nextBatch(maximumMessages: messagesPerBatch)
            try await written
            dialogs += batch.dialogs.count
            messages += batch.messages.count
            progress(dialogs, messages)
        }
    }
}

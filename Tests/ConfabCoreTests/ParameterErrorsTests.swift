import Testing

@testable import ConfabCore

@Suite struct ParameterErrorsTests {
    @Test func startsEmpty() {
        let errors = ParameterErrors()
        #expect(errors.isEmpty)
        #expect(errors.entries.isEmpty)
        #expect(errors.messages(for: "limit").isEmpty)
        #expect(errors.description == "")
    }

    @Test func groupsMessagesByParameterInFirstSeenOrder() {
        var errors = ParameterErrors()
        errors.add("limit", "must be an integer from 1 up")
        errors.add("skip", "must be an integer from 0 up")
        errors.add("limit", "is given more than once; give it once")
        #expect(!errors.isEmpty)
        #expect(errors.entries.map(\.parameter) == ["limit", "skip"])
        #expect(
            errors.messages(for: "limit") == ["must be an integer from 1 up", "is given more than once; give it once"])
        #expect(errors.messages(for: "skip") == ["must be an integer from 0 up"])
        #expect(
            errors.description
                == "limit: must be an integer from 1 up; is given more than once; give it once, skip: must be an integer from 0 up"
        )
    }

    @Test func aRepeatedMessageIsKeptOnce() {
        var errors = ParameterErrors(parameter: "limit", message: "must be an integer from 1 up")
        errors.add("limit", "must be an integer from 1 up")
        #expect(
            errors.entries == [ParameterErrors.Entry(parameter: "limit", messages: ["must be an integer from 1 up"])])
    }

    @Test func equalityFollowsEntries() {
        let a = ParameterErrors(parameter: "x", message: "m")
        var b = ParameterErrors()
        b.add("x", "m")
        #expect(a == b)
        b.add("y", "n")
        #expect(a != b)
    }
}

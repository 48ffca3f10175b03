import Foundation
import Testing

@Suite("The subprocess helper")
struct ConfabProcessTests {
    @Test("a child writing megabytes to standard output and standard error at once is read to the end")
    func bothPipesAtOnce() throws {
        // Interleaved writes of 2 MiB to each stream: reading one pipe to its end before the
        // other would leave the child waiting on the full pipe, and this test with it.
        let script =
            "for i in $(seq 1 32); do head -c 65536 /dev/zero | tr '\\0' o; head -c 65536 /dev/zero | tr '\\0' e >&2; done"
        let result = try ConfabProcess.run(
            ["-c", script], in: FileManager.default.temporaryDirectory, program: URL(fileURLWithPath: "/bin/sh"))
        #expect(result.status == 0)
        #expect(result.output.utf8.count == 32 * 65_536)
        #expect(result.errors.utf8.count == 32 * 65_536)
        #expect(result.output.utf8.allSatisfy { $0 == UInt8(ascii: "o") })
    }
}

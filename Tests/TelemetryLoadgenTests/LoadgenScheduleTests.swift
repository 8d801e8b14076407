import ArgumentParser
import Testing

@testable import telemetry_loadgen

@Suite("loadgen flags")
struct LoadgenScheduleTests {
    @Test("the flags in use parse: bare seconds and durations with a unit")
    func accepted() throws {
        let ci = try LoadgenCommand.parse(["--rate", "50", "--duration", "2", "--services", "gateway,orders"]).schedule()
        #expect(ci.paced?.rate == 50)
        #expect(ci.paced?.duration == .seconds(2))
        #expect(ci.pacedTraceCount == 100)
        let units = try LoadgenCommand.parse(["--rate", "0.5", "--duration", "1m30s", "--error-ratio", "0.1"]).schedule()
        #expect(units.paced?.duration == .seconds(90))
        #expect(units.pacedTraceCount == 45)
        #expect(units.errorRatio == 0.1)
        let unpaced = try LoadgenCommand.parse(["--traces", "200"]).schedule()
        #expect(unpaced.paced == nil)
        #expect(unpaced.pacedTraceCount == 200)
    }

    /// Each of these trapped in `Int((rate * duration).rounded())` or `Duration.seconds(1 / rate)`.
    @Test(
        "values that trapped are usage errors naming the flag",
        arguments: [
            (["--rate", "10", "--duration", "inf"], #"--duration "inf" is not a finite number"#),
            (["--rate", "10", "--duration", "1e300"], #"--duration "1e300" is above the maximum 876600h (100 years)"#),
            (["--rate", "10", "--duration=-5"], #"--duration "-5" is negative"#),
            (["--rate", "inf", "--duration", "10"], #"--rate "inf" is not a finite number"#),
            (["--rate", "1e-300"], #"--rate "1e-300" is below the minimum 0.001"#),
            (["--rate", "0"], #"--rate "0" is below the minimum 0.001"#),
            (["--rate", "1e7"], #"--rate "1e7" is above the maximum 1000000"#),
            (["--error-ratio", "nan"], #"--error-ratio "nan" is not a finite number"#),
            (["--error-ratio", "1.5"], #"--error-ratio "1.5" is above the maximum 1"#),
            (["--rate", "10", "--duration", "soon"], #"--duration "soon" is not a duration such as 250ms, 1.5s or 1h30m, or a number of seconds"#),
        ]
    )
    func rejected(arguments: [String], message: String) {
        // `parse` runs `validate()`, which reports the flag before the command runs.
        do {
            _ = try LoadgenCommand.parse(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect(LoadgenCommand.message(for: error) == message)
        }
    }
}

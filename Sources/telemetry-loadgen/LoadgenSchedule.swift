import ArgumentParser
import TelemetryCore

/// How many traces to send and how fast, from `--traces`, `--rate`, `--duration` and
/// `--error-ratio`, each read by the package's one configuration parser.
///
/// The parsed values feed `Int((rate * duration).rounded())` and `Duration.seconds(1 / rate)`,
/// which trap on infinite or huge operands; the ranges below keep both finite.
struct LoadgenSchedule: Equatable {
    /// Traces per second with the time to send them for; `nil` sends `traces` as fast as possible.
    var paced: (rate: Double, duration: Duration)?
    var traces: Int
    var errorRatio: Double

    /// The highest `--rate`: far beyond what one process generates, low enough for exact counts.
    static let maximumRate = 1_000_000.0

    init(traces: Int, rate: String?, duration: String, errorRatio: String) throws(ValidationError) {
        func read<T>(_ flag: String, _ text: String, _ parse: (String) throws(ConfigurationValueError) -> T) throws(ValidationError) -> T {
            do {
                return try parse(text)
            } catch {
                throw ValidationError("\(flag) \"\(text)\" \(error)")
            }
        }
        guard traces >= 0 else { throw ValidationError("--traces \"\(traces)\" is negative") }
        self.traces = traces
        self.errorRatio = try read("--error-ratio", errorRatio) { text throws(ConfigurationValueError) in
            try ConfigurationValue.number(text, in: 0...1)
        }
        if let rate {
            paced = (
                try read("--rate", rate) { text throws(ConfigurationValueError) in
                    try ConfigurationValue.number(text, in: 0.001...Self.maximumRate)
                },
                // A bare number is seconds, as the flag always took; `90s` and `2m` read too.
                try read("--duration", duration) { text throws(ConfigurationValueError) in
                    try ConfigurationValue.duration(text, bareNumberUnit: .seconds)
                }
            )
        }
    }

    /// The number of traces a paced run sends: at most 1e6 per second × 100 years, well inside `Int`.
    var pacedTraceCount: Int {
        guard let paced else { return traces }
        let seconds = Double(paced.duration.components.seconds) + Double(paced.duration.components.attoseconds) / 1e18
        return Int((paced.rate * seconds).rounded())
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.traces == rhs.traces && lhs.errorRatio == rhs.errorRatio && lhs.paced?.rate == rhs.paced?.rate
            && lhs.paced?.duration == rhs.paced?.duration
    }
}

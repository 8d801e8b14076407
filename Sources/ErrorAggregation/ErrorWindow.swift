/// The sliding windows over which counts and rates are reported.
public enum ErrorWindow: String, Sendable, Hashable, Codable, CaseIterable {
    /// The last minute.
    case oneMinute = "1m"
    /// The last five minutes.
    case fiveMinutes = "5m"
    /// The last hour.
    case oneHour = "1h"

    /// The window's length.
    public var length: Duration {
        switch self {
        case .oneMinute: .seconds(60)
        case .fiveMinutes: .seconds(300)
        case .oneHour: .seconds(3600)
        }
    }

    /// Buckets per window: the window slides in steps of `length / buckets`.
    var buckets: Int {
        switch self {
        case .oneMinute: 12
        case .fiveMinutes: 10
        case .oneHour: 12
        }
    }

    var index: Int {
        switch self {
        case .oneMinute: 0
        case .fiveMinutes: 1
        case .oneHour: 2
        }
    }
}

/// Weighted counts over the three windows plus a lifetime total, in fixed-size buckets.
///
/// Weights are `Double` so spans sampled at probability p can count 1/p each.
struct WindowedCount: Sendable {
    private struct Ring: Sendable {
        var epochs: [Int64]
        var values: [Double]
        let bucketNanos: Int64

        init(_ window: ErrorWindow) {
            epochs = Array(repeating: .min, count: window.buckets)
            values = Array(repeating: 0, count: window.buckets)
            bucketNanos = window.length.nanos / Int64(window.buckets)
        }

        mutating func add(_ weight: Double, now: Int64) {
            let epoch = now / bucketNanos
            let index = Int(epoch % Int64(epochs.count))
            if epochs[index] != epoch {
                epochs[index] = epoch
                values[index] = 0
            }
            values[index] += weight
        }

        func sum(now: Int64) -> Double {
            let epoch = now / bucketNanos
            let oldest = epoch - Int64(epochs.count) + 1
            var total = 0.0
            for index in epochs.indices where epochs[index] >= oldest && epochs[index] <= epoch {
                total += values[index]
            }
            return total
        }
    }

    private var rings: [Ring] = ErrorWindow.allCases.map(Ring.init)
    private(set) var total: Double = 0
    private(set) var lastUpdate: Int64 = .min

    mutating func add(_ weight: Double, now: Int64) {
        for index in rings.indices { rings[index].add(weight, now: now) }
        total += weight
        lastUpdate = now
    }

    func sum(_ window: ErrorWindow, now: Int64) -> Double {
        rings[window.index].sum(now: now)
    }
}

extension Duration {
    /// Whole nanoseconds, saturating at the bounds of `Int64`.
    var nanos: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}

/// Time-bucketed call counts over a sliding window; lives inside the breaker's lock.
///
/// Buckets are allocated once; a bucket is reused when its epoch is older than the window,
/// so recording never allocates.
struct RollingWindowCounts {
    private struct Bucket {
        var epoch: Int64 = .min
        var calls: Int = 0
        var failures: Int = 0
        var slowCalls: Int = 0
    }

    /// Call counts summed over the live buckets.
    struct Totals {
        var calls = 0
        var failures = 0
        var slowCalls = 0
    }

    private var buckets: [Bucket]
    private let bucketNanos: Int64

    init(_ window: CircuitBreaker.RollingWindow) {
        buckets = Array(repeating: Bucket(), count: window.buckets)
        bucketNanos = max(1, window.length.nanoseconds / Int64(window.buckets))
    }

    /// Counts one call at `now` and returns the totals over the buckets still inside the
    /// window: one pass over the ring, in place.
    mutating func record(failure: Bool, slow: Bool, now: Int64) -> Totals {
        let epoch = now / bucketNanos
        let count = buckets.count
        let index = Int(epoch % Int64(count))
        let oldest = epoch - Int64(count) + 1
        return buckets.withUnsafeMutableBufferPointer { ring in
            if ring[index].epoch != epoch { ring[index] = Bucket(epoch: epoch) }
            ring[index].calls &+= 1
            if failure { ring[index].failures &+= 1 }
            if slow { ring[index].slowCalls &+= 1 }
            var totals = Totals()
            for bucket in ring where bucket.epoch >= oldest && bucket.epoch <= epoch {
                totals.calls &+= bucket.calls
                totals.failures &+= bucket.failures
                totals.slowCalls &+= bucket.slowCalls
            }
            return totals
        }
    }

    mutating func clear() {
        for index in buckets.indices { buckets[index] = Bucket() }
    }
}

extension Duration {
    /// Whole nanoseconds, saturating at `Int64` bounds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }
}

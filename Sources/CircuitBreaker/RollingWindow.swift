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

    private var buckets: [Bucket]
    private let bucketNanos: Int64

    init(_ window: CircuitBreaker.RollingWindow) {
        buckets = Array(repeating: Bucket(), count: window.buckets)
        bucketNanos = max(1, window.length.nanoseconds / Int64(window.buckets))
    }

    mutating func record(failure: Bool, slow: Bool, now: Int64) {
        let epoch = now / bucketNanos
        let index = Int(epoch % Int64(buckets.count))
        if buckets[index].epoch != epoch {
            buckets[index] = Bucket(epoch: epoch)
        }
        buckets[index].calls += 1
        if failure { buckets[index].failures += 1 }
        if slow { buckets[index].slowCalls += 1 }
    }

    /// Totals over buckets that still lie inside the window at `now`.
    func totals(now: Int64) -> (calls: Int, failures: Int, slowCalls: Int) {
        let epoch = now / bucketNanos
        let oldest = epoch - Int64(buckets.count) + 1
        var calls = 0
        var failures = 0
        var slow = 0
        for bucket in buckets where bucket.epoch >= oldest && bucket.epoch <= epoch {
            calls += bucket.calls
            failures += bucket.failures
            slow += bucket.slowCalls
        }
        return (calls, failures, slow)
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

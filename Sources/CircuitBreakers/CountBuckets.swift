/// The closed state's counts kept per `bucketPeriod` (gobreaker v2's rolling counts), so
/// that the oldest period leaves the totals on its own instead of the whole interval
/// clearing at once. Lives inside the breaker's lock, next to the totals it corrects.
struct CountBuckets: Sendable {
    private var buckets: [Counts]
    /// Whole bucket periods since the generation started: the current bucket's number.
    private(set) var age: UInt64 = 0

    /// `count` buckets, at least two (one bucket is a plain interval).
    init(count: Int) {
        buckets = Array(repeating: Counts(), count: max(2, count))
    }

    private func index(_ age: UInt64) -> Int {
        Int(age % UInt64(buckets.count))
    }

    /// Counts an admission in the current bucket.
    mutating func onRequest() {
        buckets[index(age)].onRequest()
    }

    /// Counts a result in the bucket its request was admitted in.
    ///
    /// - Returns: `false` when that bucket has aged out: the result counts nowhere.
    mutating func record(_ outcome: CircuitBreaker.Outcome, admittedAt admitted: UInt64) -> Bool {
        guard admitted <= age, age - admitted < UInt64(buckets.count) else { return false }
        switch outcome {
        case .success: buckets[index(admitted)].onSuccess()
        case .failure: buckets[index(admitted)].onFailure()
        case .excluded: buckets[index(admitted)].onExclusion()
        }
        return true
    }

    /// Moves on to bucket `newAge`, taking every bucket that leaves the window out of `totals`.
    mutating func advance(to newAge: UInt64, totals: inout Counts) {
        guard newAge > age else { return }
        if newAge - age >= UInt64(buckets.count) {
            // Every bucket has aged out.
            clear()
            totals = Counts()
            age = newAge
            return
        }
        while age < newAge {
            age += 1
            let oldest = index(age)
            subtract(buckets[oldest], from: &totals)
            buckets[oldest] = Counts()
        }
    }

    /// Empties every bucket, for a new generation.
    mutating func clear() {
        age = 0
        for slot in buckets.indices { buckets[slot] = Counts() }
    }

    /// Takes the oldest bucket out of the totals.
    ///
    /// A run of consecutive results shrinks only when it reaches back into that bucket: when
    /// the run equals the bucket's own trailing run plus every result recorded since. The
    /// results recorded since are the totals minus the bucket's (the totals are the sum of
    /// the buckets), which spares a pass over the ring.
    private func subtract(_ bucket: Counts, from totals: inout Counts) {
        let successesSince = totals.totalSuccesses &- bucket.totalSuccesses
        if totals.consecutiveSuccesses == bucket.consecutiveSuccesses &+ successesSince {
            totals.consecutiveSuccesses = saturatingDifference(totals.consecutiveSuccesses, bucket.consecutiveSuccesses)
        }
        let failuresSince = totals.totalFailures &- bucket.totalFailures
        if totals.consecutiveFailures == bucket.consecutiveFailures &+ failuresSince {
            totals.consecutiveFailures = saturatingDifference(totals.consecutiveFailures, bucket.consecutiveFailures)
        }
        totals.requests = saturatingDifference(totals.requests, bucket.requests)
        totals.totalSuccesses = saturatingDifference(totals.totalSuccesses, bucket.totalSuccesses)
        totals.totalFailures = saturatingDifference(totals.totalFailures, bucket.totalFailures)
        totals.totalExclusions = saturatingDifference(totals.totalExclusions, bucket.totalExclusions)
    }

    private func saturatingDifference(_ minuend: UInt32, _ subtrahend: UInt32) -> UInt32 {
        minuend > subtrahend ? minuend - subtrahend : 0
    }
}

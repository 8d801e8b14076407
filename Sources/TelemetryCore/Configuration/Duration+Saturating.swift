extension Duration {
    /// Nanoseconds as a point-in-time offset: 0 for negative durations, `UInt64.max` for
    /// ones too long to count, so a configured limit can never trap the arithmetic on it.
    package var saturatingNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (total, carry) = whole.addingReportingOverflow(UInt64(max(0, attoseconds / 1_000_000_000)))
        return carry ? .max : total
    }
}

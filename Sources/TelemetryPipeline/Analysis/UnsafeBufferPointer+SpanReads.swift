import TelemetryCore

// Reads of one span in a buffer that touch only the stored fields they need. A span handed
// whole to a function of another module is copied first (every reference it holds retained,
// then released), which for the analysis processors cost more per span than the analysis.
extension UnsafeBufferPointer<TelemetrySpanData> {
    /// `TelemetrySpanData.adjustedCount`, skipping the trace-state parse when there is none.
    @inline(__always)
    func weight(at index: Int) -> Double {
        self[index].traceState.entries.isEmpty ? 1 : self[index].adjustedCount
    }

    /// `TelemetrySpanData.durationNanos` in seconds.
    @inline(__always)
    func durationSeconds(at index: Int) -> Double {
        let start = self[index].startTimeNanos
        let end = self[index].endTimeNanos
        return end >= start ? Double(end - start) / 1e9 : 0
    }

    /// Whether the request whose entry span is at `index` failed: status ERROR, or (for SDKs
    /// that leave a server span's status unset on a 5xx, as some Jaeger clients do) an answer
    /// of 500 or above. The same rule `ErrorClassifier.classify(span:)` applies.
    @inline(__always)
    func requestFailed(at index: Int) -> Bool {
        switch self[index].status {
        case .error: return true
        case .ok: return false
        case .unset:
            guard self[index].kind == .server else { return false }
            let code = self[index].attributes["http.response.status_code"] ?? self[index].attributes["http.status_code"]
            return (code?.intValue ?? 0) >= 500
        }
    }
}

import TelemetryCore

// Public initializers, so a repository outside this module can build the values it returns.

extension TraceStore.ServiceOperation {
    /// The operation `name` of spans of `kind`.
    public init(_ name: String, kind: TelemetrySpanKind) {
        self.init(name: name, kind: kind)
    }
}

extension TraceStore.ServiceDependency {
    /// `callCount` estimated calls from `parent` to `child`.
    public init(from parent: String, to child: String, callCount: Double) {
        self.init(parent: parent, child: child, callCount: callCount)
    }
}

extension TraceStore.Statistics {
    /// `traces` traces of `spans` spans, whose estimated size is `bytes`, after evicting `evicted`.
    public init(traceCount traces: Int, spanCount spans: Int, bytes: Int, evicted: Int) {
        self.init(traces: traces, spans: spans, bytes: bytes, evictedTraces: evicted)
    }
}

import Instrumentation
import Logging
import ServiceContextModule
import Synchronization
import TelemetryCore
import Tracing

extension CircuitBreaker {
    /// Span event recorded on the current span at every state change, and the name of the
    /// span that reports the change whatever the sampler decides.
    public static let stateChangeEventName = "circuit_breaker.state_change"
    /// Span event recorded on the current span at every rejection.
    public static let rejectedEventName = "circuit_breaker.rejected"
    /// The span that reports a breaker's current state, emitted by ``reportState()``.
    public static let stateReportSpanName = "circuit_breaker.report"

    /// Reports a transition: metrics, a span event on the current request's span, a
    /// state-change span of its own, a log line, then the user's callback.
    ///
    /// The event shows the change inside the request that caused it, but only when that
    /// request is sampled. The state-change span is a root that the tracer records at any
    /// sampling ratio (see ``ForcedSamplingKey``), so the pipeline hears of every transition.
    /// Both carry the same timestamp, by which the pipeline recognises the pair as one change.
    func emit(_ transition: BreakerCore.Transition) {
        // The gauge takes the state as it is now, not as the transition left it, so that
        // two transitions reported out of order cannot leave a stale value behind.
        instruments.recordState(core.withLock { $0.state })
        instruments.recordStateChange(from: transition.from, to: transition.to)
        let now = transition.at
        let attributes: SpanAttributes = [
            "circuit_breaker.name": .string(name),
            "circuit_breaker.from_state": .string(transition.from.label),
            "circuit_breaker.to_state": .string(transition.to.label),
        ]
        let active = currentSpan()
        active?.addEvent(SpanEvent(name: Self.stateChangeEventName, at: now, attributes: attributes))
        // Linked to the request even when it is not sampled: its trace ID still finds its logs.
        report(Self.stateChangeEventName, at: now, attributes: attributes, link: ServiceContext.current)
        let level: Logger.Level = transition.to == .open ? .warning : .info
        logger.log(
            level: level,
            "circuit breaker state changed",
            metadata: [
                "circuit_breaker.from_state": "\(transition.from.label)",
                "circuit_breaker.to_state": "\(transition.to.label)",
            ]
        )
        configuration.onStateChange?(name, transition.from, transition.to)
    }

    /// Emits a `circuit_breaker.report` span with the breaker's current state, recorded at
    /// any sampling ratio.
    ///
    /// The pipeline marks a breaker it has not heard from for a while as stale; a periodic
    /// report (``CircuitBreakerRegistry/reportStates()``, or the server module's reporter
    /// service) keeps a quiet breaker current, and corrects a state whose transition span
    /// was lost.
    public func reportState() {
        // Stamped before the state is read: a change that races the report is stamped after
        // its own lock, so it is never older than a report that missed it.
        let now = DefaultTracerClock.now
        let state = status().state
        report(
            Self.stateReportSpanName, at: now,
            attributes: ["circuit_breaker.name": .string(name), "circuit_breaker.state": .string(state.label)],
            link: nil)
    }

    private func report(_ spanName: String, at instant: DefaultTracerClock.Instant, attributes: SpanAttributes, link: ServiceContext?) {
        let tracer = self.tracer ?? InstrumentationSystem.tracer
        let span = tracer.startSpan(spanName, context: .forcedSamplingRoot, ofKind: .internal, at: instant)
        span.attributes = attributes
        if let link { span.addLink(SpanLink(context: link, attributes: [:])) }
        span.end(at: instant)
    }

    /// Reports a rejection: the `rejected` counter and a span event.
    func reject(_ error: CircuitBreakerRejectedError) {
        instruments.recordRejection(state: error.state)
        // Attributes are built only when there is a span to receive them: rejections are
        // the hot path of an open breaker.
        guard let span = currentSpan() else { return }
        var attributes: SpanAttributes = [
            "circuit_breaker.name": .string(name),
            "circuit_breaker.state": .string(error.state.label),
        ]
        if let retryAfter = error.retryAfter {
            attributes["circuit_breaker.retry_after_ms"] = SpanAttribute.int64(retryAfter.nanoseconds / 1_000_000)
        }
        span.addEvent(SpanEvent(name: Self.rejectedEventName, attributes: attributes))
    }

    private func currentSpan() -> (any Span)? {
        guard let context = ServiceContext.current else { return nil }
        return (tracer ?? InstrumentationSystem.tracer).activeSpan(identifiedBy: context)
    }
}

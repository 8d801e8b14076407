import Instrumentation
import Logging
import ServiceContextModule
import Synchronization
import Tracing

extension CircuitBreaker {
    /// Span event recorded on the current span at every state change.
    public static let stateChangeEventName = "circuit_breaker.state_change"
    /// Span event recorded on the current span at every rejection.
    public static let rejectedEventName = "circuit_breaker.rejected"

    /// Reports a transition: metrics, span event, log line, then the user's callback.
    func emit(_ transition: BreakerCore.Transition) {
        // The gauge takes the state as it is now, not as the transition left it, so that
        // two transitions reported out of order cannot leave a stale value behind.
        instruments.recordState(core.withLock { $0.state })
        instruments.recordStateChange(from: transition.from, to: transition.to)
        addEventToCurrentSpan(
            Self.stateChangeEventName,
            [
                "circuit_breaker.name": .string(name),
                "circuit_breaker.from_state": .string(transition.from.label),
                "circuit_breaker.to_state": .string(transition.to.label),
            ]
        )
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

    /// Reports a rejection: the `rejected` counter and a span event.
    func reject(_ error: CircuitBreakerRejectedError) {
        instruments.recordRejection(state: error.state)
        var attributes: SpanAttributes = [
            "circuit_breaker.name": .string(name),
            "circuit_breaker.state": .string(error.state.label),
        ]
        if let retryAfter = error.retryAfter {
            attributes["circuit_breaker.retry_after_ms"] = SpanAttribute.int64(retryAfter.nanoseconds / 1_000_000)
        }
        addEventToCurrentSpan(Self.rejectedEventName, attributes)
    }

    private func addEventToCurrentSpan(_ eventName: String, _ attributes: @autoclosure () -> SpanAttributes) {
        guard let context = ServiceContext.current,
            let span = InstrumentationSystem.tracer.activeSpan(identifiedBy: context)
        else { return }
        span.addEvent(SpanEvent(name: eventName, attributes: attributes()))
    }
}

import TelemetryCore

/// Feeds the health board and publishes `service_health_status{service}`
/// (0 healthy, 1 degraded, 2 unhealthy).
package struct HealthProcessor: SpanProcessorStage {
    let board: HealthBoard
    let breakers: BreakerBoard
    let gauge: MetricFamily

    package init(board: HealthBoard, breakers: BreakerBoard, registry: MetricRegistry) {
        self.board = board
        self.breakers = breakers
        gauge = registry.gauge(
            "service_health_status", help: "Service health (0=healthy, 1=degraded, 2=unhealthy).", labels: ["service"])
    }

    package func process(_ spans: [SpanData], now: UInt64) -> [SpanData] {
        for span in spans {
            // Latency is a request's: server and consumer spans, or roots when a service has no server spans.
            let servesRequest = span.kind == .server || span.kind == .consumer || span.parentSpanID == nil
            board.record(
                service: span.resource.serviceName, weight: span.adjustedCount, isError: span.status.isError,
                latencySeconds: servesRequest ? Double(span.durationNanos) / 1e9 : nil, now: now)
        }
        publish(now: now)
        return spans
    }

    package func tick(now: UInt64) -> [SpanData] {
        publish(now: now)
        return []
    }

    func publish(now: UInt64) {
        let picture = board.evaluate(now: now, breakers: breakers)
        gauge.update { updater in
            for health in picture { updater.set(health.status.gaugeValue, [health.service]) }
        }
    }
}

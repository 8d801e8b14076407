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
            "service_health_status", help: "Service health (0=healthy, 1=degraded, 2=unhealthy).", labels: ["service"],
            limits: MetricFamily.Limits(maxSeries: board.configuration.maxServices))
    }

    package var isObserver: Bool { true }

    package func process(_ spans: [SpanData], now: UInt64) -> [SpanData] {
        var services = ServiceIndex()
        var contributions: [HealthBoard.Contribution] = []
        spans.withUnsafeBufferPointer { spans in
            for index in spans.indices {
                let service = services.index(of: spans[index].resource)
                if service == contributions.count { contributions.append(HealthBoard.Contribution()) }
                // Latency is a request's: server and consumer spans, or roots when a service has no server spans.
                let kind = spans[index].kind
                let servesRequest = kind == .server || kind == .consumer || spans[index].parentSpanID == nil
                let isError = if case .error = spans[index].status { true } else { false }
                contributions[service].add(
                    weight: spans.weight(at: index), isError: isError,
                    latencySeconds: servesRequest ? spans.durationSeconds(at: index) : nil)
            }
        }
        for (service, contribution) in zip(services.names, contributions) {
            board.record(service: service, contribution, now: now)
        }
        publish(now: now)
        return spans
    }

    package func tick(now: UInt64) -> [SpanData] {
        publish(now: now)
        return []
    }

    func publish(now: UInt64) {
        HealthBoard.publish(board.evaluate(now: now, breakers: breakers), to: gauge, now: now)
    }
}

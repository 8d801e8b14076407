import TelemetryCore

/// Feeds the health board with each service's requests and publishes
/// `service_health_status{service}` (0 healthy, 1 degraded, 2 unhealthy).
///
/// Requests are the spans `RequestRoles` picks, each counted once, weighted 1/p; a request
/// failed when its entry span has status ERROR (a 5xx answer, an exception). The error
/// ratio and latency percentiles the board judges are over those requests alone, so a
/// service's outgoing calls neither dilute nor duplicate its failures.
package struct HealthProcessor: SpanProcessorStage {
    let board: HealthBoard
    let breakers: BreakerBoard
    let roles: RequestRoles
    let gauge: MetricFamily

    package init(board: HealthBoard, breakers: BreakerBoard, registry: MetricRegistry, roles: RequestRoles = RequestRoles()) {
        self.board = board
        self.breakers = breakers
        self.roles = roles
        gauge = registry.gauge(
            "service_health_status", help: "Service health (0=healthy, 1=degraded, 2=unhealthy).", labels: ["service"],
            limits: MetricFamily.Limits(maxSeries: board.configuration.maxServices))
    }

    package var isObserver: Bool { true }

    package func process(_ spans: [TelemetrySpanData], now: UInt64) -> [TelemetrySpanData] {
        let (names, contributions) = spans.withUnsafeBufferPointer { spans in
            let batch = roles.batch(spans, now: now)
            var contributions = Array(repeating: HealthBoard.Contribution(), count: batch.serviceNames.count)
            for index in spans.indices where batch.roles[index].isRequest {
                contributions[batch.serviceOfSpan[index]].add(
                    weight: spans.weight(at: index), isError: spans.requestFailed(at: index),
                    latencySeconds: spans.durationSeconds(at: index))
            }
            return (batch.serviceNames, contributions)
        }
        for (service, contribution) in zip(names, contributions) where contribution.requests > 0 {
            board.record(service: service, contribution, now: now)
        }
        publish(now: now)
        return spans
    }

    package func tick(now: UInt64) -> [TelemetrySpanData] {
        publish(now: now)
        return []
    }

    func publish(now: UInt64) {
        HealthBoard.publish(board.evaluate(now: now, breakers: breakers), to: gauge, now: now)
    }
}

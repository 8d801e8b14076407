import Testing

@testable import TelemetryHTTPExport

/// The self-metrics a delivery records, read back from an in-memory swift-metrics backend
/// while a real loopback server answers.
@Suite struct DeliveryMetricsTests {
    static let exporter = ["exporter": "jaeger"]

    private func delivery(_ server: LoopbackHTTPServer, _ metrics: RecordingMetricsFactory, clock: ImmediateClock, attempts: Int = 10) -> HTTPSpanDelivery {
        HTTPSpanDelivery(
            configuration: .init(
                endpoint: server.url, contentType: "application/x-thrift", timeout: .seconds(5),
                retryPolicy: RetryPolicy(maximumAttempts: attempts), exporterName: "jaeger"
            ),
            clock: clock,
            jitter: { 0 },
            metricsFactory: metrics
        )
    }

    private func dropped(_ metrics: RecordingMetricsFactory, _ reason: DropReason) -> Int64 {
        metrics.counter(DeliveryMetrics.droppedLabel, ["exporter": "jaeger", "reason": reason.rawValue])
    }

    @Test func aRetriedDeliveryCountsItsSpansOnceAndItsRetry() async throws {
        try await LoopbackHTTPServer.serving(replies: [
            .init(status: 503, headers: [("Retry-After", "2")]), .init(status: 202),
        ]) { server in
            let metrics = RecordingMetricsFactory()
            let response = try await delivery(server, metrics, clock: ImmediateClock()).deliver([1, 2], spanCount: 5)

            #expect(response.status == 202)
            #expect(metrics.counter(DeliveryMetrics.exportedLabel, Self.exporter) == 5)
            #expect(metrics.counter(DeliveryMetrics.retriesLabel, Self.exporter) == 1)
            #expect(metrics.counter(DeliveryMetrics.failuresLabel, Self.exporter) == 0)
            #expect(DropReason.allCases.allSatisfy { dropped(metrics, $0) == 0 })
            // The injected clock only moves while sleeping: the batch took exactly the 2 s it waited.
            #expect(metrics.values(DeliveryMetrics.durationLabel, Self.exporter) == [2_000_000_000])
            // Registered empty, held 5 spans while sending and retrying, empty again after.
            #expect(metrics.values(DeliveryMetrics.queueLengthLabel, Self.exporter) == [0, 5, 0])
        }
    }

    @Test func aRejectedBatchIsDroppedAsRejectedWithoutRetry() async throws {
        try await LoopbackHTTPServer.serving(replies: [.init(status: 400)]) { server in
            let metrics = RecordingMetricsFactory()
            await #expect(throws: HTTPExportError.rejected) {
                try await delivery(server, metrics, clock: ImmediateClock()).deliver([1], spanCount: 3)
            }
            #expect(dropped(metrics, .rejected) == 3)
            #expect(dropped(metrics, .retriesExhausted) == 0)
            #expect(metrics.counter(DeliveryMetrics.failuresLabel, Self.exporter) == 1)
            #expect(metrics.counter(DeliveryMetrics.retriesLabel, Self.exporter) == 0)
            #expect(metrics.counter(DeliveryMetrics.exportedLabel, Self.exporter) == 0)
            #expect(metrics.values(DeliveryMetrics.durationLabel, Self.exporter).isEmpty)
            #expect(metrics.values(DeliveryMetrics.queueLengthLabel, Self.exporter).last == 0)
        }
    }

    @Test func exhaustedRetriesDropTheBatchByThatReason() async throws {
        try await LoopbackHTTPServer.serving(replies: [], fallback: .init(status: 503)) { server in
            let metrics = RecordingMetricsFactory()
            await #expect(throws: HTTPExportError.retriesExhausted) {
                try await delivery(server, metrics, clock: ImmediateClock(), attempts: 3).deliver([1], spanCount: 4)
            }
            #expect(server.received.count == 3)
            #expect(metrics.counter(DeliveryMetrics.retriesLabel, Self.exporter) == 2)
            #expect(dropped(metrics, .retriesExhausted) == 4)
            #expect(metrics.counter(DeliveryMetrics.failuresLabel, Self.exporter) == 1)
            #expect(metrics.counter(DeliveryMetrics.exportedLabel, Self.exporter) == 0)
            #expect(metrics.values(DeliveryMetrics.queueLengthLabel, Self.exporter) == [0, 4, 0])
        }
    }

    @Test func partialSuccessCountsTheRefusedSpans() async throws {
        try await LoopbackHTTPServer.serving(replies: []) { server in
            let metrics = RecordingMetricsFactory()
            let delivery = delivery(server, metrics, clock: ImmediateClock())
            _ = try await delivery.deliver([1], spanCount: 10)
            delivery.recordPartialSuccess(rejectedSpans: 2, message: "2 spans had no trace ID")
            #expect(dropped(metrics, .partialSuccess) == 2)
            #expect(metrics.counter(DeliveryMetrics.exportedLabel, Self.exporter) == 10)
        }
    }
}

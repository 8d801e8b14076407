import CoreMetrics
import Testing

@testable import TelemetryPipeline

/// swift-metrics handles created through the factory land in the registry's exposition.
@Suite struct RegistryMetricsFactoryTests {
    let registry = MetricRegistry()
    var factory: RegistryMetricsFactory { RegistryMetricsFactory(registry: registry) }

    @Test func countersAddUpPerSeries() {
        let jaeger = Counter(label: "exports_total", dimensions: [("exporter", "jaeger")], factory: factory)
        let otlp = Counter(label: "exports_total", dimensions: [("exporter", "otlp")], factory: factory)
        jaeger.increment(by: 2)
        jaeger.increment()
        otlp.increment()
        let text = registry.render()
        #expect(text.contains("# TYPE exports_total counter\n"))
        #expect(text.contains("exports_total{exporter=\"jaeger\"} 3\n"))
        #expect(text.contains("exports_total{exporter=\"otlp\"} 1\n"))
    }

    @Test func gaugesAndMetersHoldTheLastValue() {
        let gauge = Gauge(label: "queue_length", dimensions: [("exporter", "otlp")], factory: factory)
        gauge.record(7)
        gauge.record(4)
        let meter = Meter(label: "in_flight", factory: factory)
        meter.set(10)
        meter.increment(by: 2)
        meter.decrement(by: 5)
        let text = registry.render()
        #expect(text.contains("queue_length{exporter=\"otlp\"} 4\n"))
        #expect(text.contains("in_flight 7\n"))
    }

    @Test func timersBecomeHistogramsInSeconds() {
        let timer = CoreMetrics.Timer(label: "export_duration_seconds", dimensions: [("exporter", "otlp")], factory: factory)
        timer.recordNanoseconds(20_000_000)
        timer.recordNanoseconds(2_000_000_000)
        let text = registry.render()
        #expect(text.contains("# TYPE export_duration_seconds histogram\n"))
        #expect(text.contains("export_duration_seconds_bucket{exporter=\"otlp\",le=\"0.01\"} 0\n"))
        #expect(text.contains("export_duration_seconds_bucket{exporter=\"otlp\",le=\"0.025\"} 1\n"))
        #expect(text.contains("export_duration_seconds_bucket{exporter=\"otlp\",le=\"2.5\"} 2\n"))
        #expect(text.contains("export_duration_seconds_count{exporter=\"otlp\"} 2\n"))
        #expect(text.contains("export_duration_seconds_sum{exporter=\"otlp\"} 2.02\n"))
    }

    @Test func aLaterHandleWithOtherDimensionsKeepsTheFirstLabelNames() {
        Counter(label: "dropped_total", dimensions: [("exporter", "otlp"), ("reason", "rejected")], factory: factory).increment()
        Counter(label: "dropped_total", dimensions: [("exporter", "jaeger")], factory: factory).increment()
        let text = registry.render()
        #expect(text.contains("dropped_total{exporter=\"otlp\",reason=\"rejected\"} 1\n"))
        #expect(text.contains("dropped_total{exporter=\"jaeger\",reason=\"\"} 1\n"))
    }
}

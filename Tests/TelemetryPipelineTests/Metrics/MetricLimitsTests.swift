import TelemetryCore
import Testing

@testable import TelemetryPipeline

@Suite("metric family limits")
struct MetricLimitsTests {
    static let second: UInt64 = 1_000_000_000

    @Test("a counter keeps at most its limit of series; the rest fold into one overflow series and the total stays exact")
    func counterOverflowKeepsTotal() {
        let registry = MetricRegistry()
        let family = registry.counter("requests_total", help: "h", labels: ["path"], limits: MetricFamily.Limits(maxSeries: 3))
        family.update { updater in
            for index in 0..<10 { updater.add(Double(index + 1), ["/p/\(index)"]) }
        }
        // An existing series still takes updates once the family is full.
        family.add(100, ["/p/0"])
        #expect(family.snapshot().count == 3)
        #expect(family.value(["/p/0"]) == 101)
        #expect(family.overflowValue() == Double((4...10).reduce(0, +)))
        let total = family.snapshot().values.reduce(0) { $0 + $1.value } + (family.overflowValue() ?? 0)
        #expect(total == Double((1...10).reduce(0, +)) + 100)
        #expect(family.foldedPoints == 7)
    }

    @Test("the overflow series renders with the single label otel_metric_overflow and the self-metric counts folded updates")
    func overflowRendering() {
        let registry = MetricRegistry()
        let family = registry.counter("requests_total", help: "h", labels: ["service", "path"], limits: MetricFamily.Limits(maxSeries: 1))
        family.add(1, ["a", "/x"])
        family.add(2, ["b", "/y"])
        family.add(3, ["c", "/z"])
        let text = registry.render()
        #expect(text.contains("requests_total{service=\"a\",path=\"/x\"} 1\n"))
        #expect(text.contains("requests_total{otel_metric_overflow=\"true\"} 5\n"))
        #expect(!text.contains("service=\"b\""))
        #expect(text.contains("pipeline_metric_series_overflow_total{metric=\"requests_total\"} 2\n"))
        #expect(registry.lookup("pipeline_metric_series_overflow_total")?.value(["requests_total"]) == 2)
    }

    @Test("a histogram's overflow series keeps counts, sums and buckets exact")
    func histogramOverflowKeepsBuckets() {
        let registry = MetricRegistry()
        let family = registry.histogram("latency_seconds", help: "h", buckets: [0.1, 1], labels: ["route"], limits: MetricFamily.Limits(maxSeries: 1))
        family.observe(0.05, ["/kept"])
        family.observe(0.5, ["/a"])
        family.observe(4, weight: 2, ["/b"])
        family.update { $0.observe(count: 3, sum: 0.25, bucketCounts: [3, 0], ["/c"]) }
        let text = registry.render()
        #expect(text.contains("latency_seconds_bucket{otel_metric_overflow=\"true\",le=\"0.1\"} 3\n"))
        #expect(text.contains("latency_seconds_bucket{otel_metric_overflow=\"true\",le=\"1\"} 4\n"))
        #expect(text.contains("latency_seconds_bucket{otel_metric_overflow=\"true\",le=\"+Inf\"} 6\n"))
        #expect(text.contains("latency_seconds_sum{otel_metric_overflow=\"true\"} 8.75\n"))
        #expect(text.contains("latency_seconds_count{otel_metric_overflow=\"true\"} 6\n"))
        #expect(text.contains("latency_seconds_count{route=\"/kept\"} 1\n"))
        #expect(family.snapshot().count == 1)
    }

    @Test("a gauge set past the limit sets the overflow series")
    func gaugeOverflow() {
        let family = MetricRegistry().gauge("temperature", help: "h", labels: ["room"], limits: MetricFamily.Limits(maxSeries: 2))
        family.set(20, ["a"])
        family.set(21, ["b"])
        family.set(30, ["c"])
        family.set(31, ["d"])
        family.set(22, ["a"])
        #expect(family.snapshot().count == 2)
        #expect(family.value(["a"]) == 22)
        #expect(family.overflowValue() == 31)
    }

    @Test("families registered without limits get the registry's default of 2000 series")
    func defaultLimit() {
        let registry = MetricRegistry()
        let family = registry.counter("spans_total", help: "h", labels: ["service"])
        #expect(family.limits.maxSeries == 2_000)
        family.update { updater in
            for index in 0..<5_000 { updater.add(1, ["service-\(index)"]) }
        }
        #expect(family.snapshot().count == 2_000)
        #expect(family.overflowValue() == 3_000)
    }

    @Test("series idle past the expiration are removed, touched ones stay, and removals are counted")
    func idleSeriesExpire() {
        let registry = MetricRegistry()
        let family = registry.counter("calls_total", help: "h", labels: ["name"], limits: MetricFamily.Limits(maxSeries: 10, expiration: .seconds(60)))
        family.update(now: 100 * Self.second) { $0.add(1, ["old"]) }
        family.update(now: 150 * Self.second) { $0.add(1, ["recent"]) }
        #expect(family.expireIdle(now: 159 * Self.second) == 0)
        #expect(family.expireIdle(now: 161 * Self.second) == 1)
        #expect(family.value(["old"]) == nil)
        #expect(family.value(["recent"]) == 1)
        #expect(registry.render().contains("pipeline_metric_series_expired_total{metric=\"calls_total\"} 1\n"))
        // Expiry makes room: a new series is labelled again instead of overflowing.
        #expect(family.snapshot().count == 1)
    }

    @Test("a family without an expiration keeps idle series forever")
    func noExpirationByDefault() {
        let family = MetricRegistry().counter("calls_total", help: "h", labels: ["name"])
        family.update(now: Self.second) { $0.add(1, ["old"]) }
        #expect(family.expireIdle(now: .max) == 0)
        #expect(family.value(["old"]) == 1)
    }

    @Test("durations too long for nanoseconds saturate instead of trapping")
    func saturatingNanoseconds() {
        #expect(Duration.seconds(Int64.max).saturatingNanoseconds == .max)
        #expect(Duration.seconds(-5).saturatingNanoseconds == 0)
        #expect(Duration.milliseconds(1500).saturatingNanoseconds == 1_500_000_000)
        let family = MetricRegistry().counter("x_total", help: "h", labels: ["a"], limits: MetricFamily.Limits(expiration: .seconds(Int64.max)))
        family.update(now: 5) { $0.add(1, ["a"]) }
        #expect(family.expireIdle(now: .max) == 0)
    }
}

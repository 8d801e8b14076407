import Logging
import Synchronization
import TelemetryCore
import TelemetryHTTPExport
import Testing

@testable import TelemetryPipeline

/// The load balancer over in-process backends: every trace on one backend, and a removed
/// backend's spans routed again rather than lost.
@Suite(.timeLimit(.minutes(1))) struct LoadBalancingExporterTests {
    /// The backends' deliveries by backend name; a backend listed in `down` fails every export.
    final class Backends: Sendable {
        let received = Mutex<[String: [TelemetrySpanData]]>([:])
        let down = Mutex<Set<String>>([])

        struct Unavailable: RetryClassifiedError {
            var isPermanent: Bool { false }
            var retryAfter: Duration? { nil }
        }

        struct Backend: SpanExporter {
            let name: String
            let backends: Backends

            func export(_ batch: [TelemetrySpanData]) async throws {
                if backends.down.withLock({ $0.contains(name) }) { throw Unavailable() }
                backends.received.withLock { $0[name, default: []] += batch }
            }
        }

        var total: Int { received.withLock { $0.values.reduce(0) { $0 + $1.count } } }

        /// Backend names by trace.
        var placements: [TraceID: Set<String>] {
            received.withLock { received in
                var result: [TraceID: Set<String>] = [:]
                for (name, spans) in received { for span in spans { result[span.traceID, default: []].insert(name) } }
                return result
            }
        }
    }

    static func balancer(
        _ resolver: BackendResolver, backends: Backends, registry: MetricRegistry, routingKey: LoadBalancingSettings.RoutingKey = .traceID
    ) throws -> LoadBalancingExporter {
        let metrics = SelfMetrics(registry: registry)
        var delivery = DeliverySettings()
        delivery.retry.initialInterval = .milliseconds(5)
        delivery.retry.maxInterval = .milliseconds(20)
        delivery.retry.maxElapsedTime = .zero
        delivery.queue.numConsumers = 2
        let settings = delivery
        return try LoadBalancingExporter(
            id: ComponentID("loadbalancing"), routingKey: routingKey, resolver: resolver, registry: registry, logger: Logger(label: "test")
        ) { name, reroute in
            ExporterWorker(
                id: ComponentID("loadbalancing/\(name)"), exporter: Backends.Backend(name: name, backends: backends), delivery: settings,
                capacity: 1_000, metrics: metrics, logger: Logger(label: "test"), reroute: reroute)
        }
    }

    /// `traces` traces of `spansPerTrace` spans each, trace IDs from a seed.
    static func spans(traces: Int, spansPerTrace: Int, seed: UInt64) -> [TelemetrySpanData] {
        var random = SplitMix64(seed: seed)
        var spans: [TelemetrySpanData] = []
        for _ in 0..<traces {
            let traceID = TraceID(high: random.next(), low: random.next())
            for index in 0..<spansPerTrace {
                var span = Spans.make(service: "service-\(index % 3)", spanID: UInt64(index + 1))
                span.traceID = traceID
                spans.append(span)
            }
        }
        return spans.shuffled()
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test func everyTraceLandsOnOneBackend() async throws {
        let backends = Backends()
        let balancer = try Self.balancer(
            BackendResolver(.fixed(hostnames: ["a:4317", "b:4317", "c:4317"])), backends: backends, registry: MetricRegistry())
        await balancer.run()
        let spans = Self.spans(traces: 300, spansPerTrace: 5, seed: 1)
        for start in stride(from: 0, to: spans.count, by: 100) { try await balancer.export(Array(spans[start..<start + 100])) }
        try await Self.waitUntil { backends.total == spans.count }
        await balancer.shutdown()
        #expect(backends.total == spans.count)
        #expect(backends.placements.values.allSatisfy { $0.count == 1 })
        #expect(backends.received.withLock { $0.keys.sorted() } == ["a:4317", "b:4317", "c:4317"])
    }

    @Test func routingByServiceKeepsAServiceTogether() async throws {
        let backends = Backends()
        let balancer = try Self.balancer(
            BackendResolver(.fixed(hostnames: ["a:4317", "b:4317"])), backends: backends, registry: MetricRegistry(), routingKey: .service)
        await balancer.run()
        try await balancer.export(Self.spans(traces: 50, spansPerTrace: 6, seed: 2))
        try await Self.waitUntil { backends.total == 300 }
        await balancer.shutdown()
        let services = backends.received.withLock { $0.mapValues { Set($0.map(\.resource.serviceName)) } }
        #expect(services.values.reduce(0) { $0 + $1.count } == 3)
    }

    @Test func aRemovedBackendsSpansAreRoutedAgain() async throws {
        let backends = Backends()
        let resolved = Mutex(["127.0.0.11", "127.0.0.12", "127.0.0.13"])
        let registry = MetricRegistry()
        let balancer = try Self.balancer(
            BackendResolver(
                .dns(hostname: "pipelines", port: 4317, interval: .milliseconds(100), timeout: .seconds(1)),
                lookup: { _, _ in resolved.withLock { $0 } }),
            backends: backends, registry: registry)
        await #expect(throws: (any Error).self) { try await balancer.export(Self.spans(traces: 1, spansPerTrace: 1, seed: 3)) }
        let running = Task { await balancer.run() }
        try await Self.waitUntil { balancer.backends.count == 3 }

        // The second backend is down: its share waits in its queue and in retries.
        backends.down.withLock { $0 = ["127.0.0.12:4317"] }
        let spans = Self.spans(traces: 200, spansPerTrace: 4, seed: 4)
        try await balancer.export(spans)
        try await Self.waitUntil { backends.total > 0 && backends.total < spans.count }

        // DNS stops listing it: everything it held goes to the other two.
        resolved.withLock { $0 = ["127.0.0.11", "127.0.0.13"] }
        try await Self.waitUntil { backends.total == spans.count }
        #expect(backends.total == spans.count)
        #expect(backends.received.withLock { $0["127.0.0.12:4317"] } == nil)
        #expect(registry.lookup("pipeline_loadbalancer_rerouted_spans_total")?.value(["loadbalancing"]) ?? 0 > 0)
        #expect(registry.lookup("pipeline_loadbalancer_membership_changes_total")?.value(["loadbalancing", "removed"]) == 1)

        // A new backend takes about a third of the new traces, and only those.
        resolved.withLock { $0 = ["127.0.0.11", "127.0.0.13", "127.0.0.14"] }
        try await Self.waitUntil { balancer.backends.count == 3 }
        let later = Self.spans(traces: 300, spansPerTrace: 2, seed: 5)
        try await balancer.export(later)
        try await Self.waitUntil { backends.total == spans.count + later.count }
        let onNew = backends.received.withLock { $0["127.0.0.14:4317"]?.count ?? 0 }
        #expect(onNew > later.count / 6 && onNew < later.count / 2)
        #expect(backends.placements.values.allSatisfy { $0.count == 1 })

        await balancer.shutdown()
        await running.value
    }

    @Test func aFailedResolutionKeepsTheLastBackends() async throws {
        struct Refused: Error {}
        let backends = Backends()
        let failing = Mutex(false)
        let registry = MetricRegistry()
        let balancer = try Self.balancer(
            BackendResolver(
                .dns(hostname: "pipelines", port: 4317, interval: .milliseconds(100), timeout: .seconds(1)),
                lookup: { _, _ in
                    if failing.withLock({ $0 }) { throw Refused() }
                    return ["10.0.0.1"]
                }),
            backends: backends, registry: registry)
        let running = Task { await balancer.run() }
        try await Self.waitUntil { balancer.backends.count == 1 }
        failing.withLock { $0 = true }
        try await Self.waitUntil { registry.lookup("pipeline_loadbalancer_resolutions_total")?.value(["loadbalancing", "failure"]) ?? 0 > 0 }
        #expect(balancer.backends == ["10.0.0.1:4317"])
        try await balancer.export(Self.spans(traces: 5, spansPerTrace: 2, seed: 6))
        try await Self.waitUntil { backends.total == 10 }
        #expect(backends.total == 10)
        await balancer.shutdown()
        await running.value
    }

    @Test func noMembershipChangesOnceShutdownBegins() async throws {
        let backends = Backends()
        let resolved = Mutex(["10.0.0.1", "10.0.0.2"])
        let slow = Mutex(false)
        let balancer = try Self.balancer(
            BackendResolver(
                .dns(hostname: "pipelines", port: 4317, interval: .milliseconds(100), timeout: .seconds(5)),
                lookup: { _, _ in
                    if slow.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(300)) }
                    return resolved.withLock { $0 }
                }),
            backends: backends, registry: MetricRegistry())
        let running = Task { await balancer.run() }
        try await Self.waitUntil { balancer.backends.count == 2 }
        try await balancer.export(Self.spans(traces: 20, spansPerTrace: 3, seed: 7))
        // A lookup is under way when shutdown begins; its answer must not change the ring.
        slow.withLock { $0 = true }
        resolved.withLock { $0 = ["10.0.0.3"] }
        try await Task.sleep(for: .milliseconds(150))
        await balancer.shutdown()
        await running.value
        #expect(balancer.backends == ["10.0.0.1:4317", "10.0.0.2:4317"])
        #expect(backends.total == 60)
    }

    @Test func aBalancerThatNeverRanStillClosesItsBackends() async throws {
        let backends = Backends()
        let balancer = try Self.balancer(BackendResolver(.fixed(hostnames: ["a:4317"])), backends: backends, registry: MetricRegistry())
        try await balancer.export(Self.spans(traces: 2, spansPerTrace: 2, seed: 8))
        await balancer.shutdown()
        #expect(backends.total == 4)
    }
}

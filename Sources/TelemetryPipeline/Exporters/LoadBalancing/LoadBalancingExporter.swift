import Logging
import Synchronization
import TelemetryCore

/// The `loadbalancing` exporter: routes each span to one of several backends by its trace ID
/// (or service) on a consistent-hash ring, so every span of a trace reaches the same backend
/// whichever routing instance received it.
///
/// Each backend has its own ``ExporterWorker``: its own sending queue, consumers, retries and
/// self-metrics, labelled `exporter="loadbalancing/<host:port>"`. When the resolver drops a
/// backend, the ring is rebuilt first, then the backend's queued requests, and any request
/// of its that fails afterwards, are routed again over the new ring; nothing it held is
/// dropped for leaving. A resolution that fails or finds no address keeps the last backends.
package final class LoadBalancingExporter: ActiveSpanExporter {
    /// Builds the worker of the backend at `host:port`; it must hand failed requests of a
    /// retired worker to `reroute`.
    package typealias MakeWorker =
        @Sendable (_ endpoint: String, _ reroute: @escaping @Sendable ([TelemetrySpanData]) -> Void) throws ->
        ExporterWorker

    /// The ring and the worker of each member, replaced whole on every change.
    struct Membership: Sendable {
        var ring = HashRing(members: [])
        var workers: [ExporterWorker] = []
    }

    private struct State {
        var membership = Membership()
        /// The tasks of the ring's workers, and of retired workers still finishing.
        var live: [ObjectIdentifier: Task<Void, Never>] = [:]
        var retiring: [ObjectIdentifier: Task<Void, Never>] = [:]
        var started = false
        var stopped = false
    }

    /// Spans routed at once: enough for requests of a few thousand spans to each of several
    /// backends, where routing a receiver's 1 000-span request alone made 300-span requests.
    package static let routedBatch = 24_576

    let id: ComponentID
    let routingKey: LoadBalancingSettings.RoutingKey
    let resolver: BackendResolver
    let makeWorker: MakeWorker
    let metrics: LoadBalancerMetrics
    let logger: Logger
    private let state = Mutex(State())
    /// Held through a membership change; `true` once shutdown began, when none may start.
    private let changing = Mutex(false)

    /// Builds the exporter with a static resolver's backends; a DNS resolver's are looked up
    /// when ``run()`` starts (until then, exports wait).
    package init(
        id: ComponentID, routingKey: LoadBalancingSettings.RoutingKey, resolver: BackendResolver, registry: MetricRegistry,
        logger: Logger, makeWorker: @escaping MakeWorker
    ) throws {
        self.id = id
        self.routingKey = routingKey
        self.resolver = resolver
        self.makeWorker = makeWorker
        self.metrics = LoadBalancerMetrics(registry: registry, exporter: "\(id)")
        self.logger = logger
        if case .fixed(let hostnames) = resolver.resolver {
            // Made here rather than in `apply`, so that a bad static backend fails the start.
            let names = Array(Set(hostnames)).sorted()
            var workers: [ExporterWorker] = []
            for name in names { workers.append(try makeWorker(name) { [weak self] spans in self?.reroute(spans) }) }
            state.withLock { $0.membership = Membership(ring: HashRing(members: names), workers: workers) }
            metrics.backends.set(Double(names.count), ["\(id)"])
            metrics.membershipChanges.add(Double(names.count), ["\(id)", "added"])
        }
    }

    /// The backends on the ring now.
    package var backends: [String] { state.withLock { $0.membership.ring.members } }

    /// Routes the batch to its backends' queues. Throws (a retryable error) only while no
    /// backend is known, which makes the pipeline wait and retry.
    package func export(_ batch: [TelemetrySpanData]) async throws {
        guard route(batch) else { throw NoBackends(exporter: "\(id)") }
    }

    struct NoBackends: Error, CustomStringConvertible {
        let exporter: String
        var description: String { "\(exporter) has no backends yet" }
    }

    /// Routes spans over the current ring; `false` when it is empty. A backend retired while
    /// its spans were on the way gets them routed again over the next ring.
    @discardableResult
    func route(_ spans: [TelemetrySpanData]) -> Bool {
        var pending = spans
        while !pending.isEmpty {
            let membership = state.withLock { $0.membership }
            guard !membership.ring.isEmpty else { return false }
            var groups = [[TelemetrySpanData]](repeating: [], count: membership.workers.count)
            if membership.workers.count == 1 {
                groups[0] = pending
            } else {
                for span in pending {
                    groups[membership.ring.owner(of: key(of: span))!].append(span)
                }
            }
            pending = []
            for (worker, group) in zip(membership.workers, groups) where !group.isEmpty {
                pending += worker.offerRouted(group)
            }
        }
        return true
    }

    private func key(of span: TelemetrySpanData) -> UInt64 {
        switch routingKey {
        case .traceID: HashRing.key(span.traceID)
        case .service: HashRing.key(span.resource.serviceName)
        }
    }

    /// Starts the backends' workers and, for a DNS resolver, re-resolves every interval
    /// until ``shutdown()``.
    package func run() async {
        let running = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.started = true
            for worker in state.membership.workers { start(worker, in: &state) }
            return true
        }
        guard running, resolver.isDynamic else { return }
        repeat {
            do {
                let names = try await resolver.resolve()
                if names.isEmpty {
                    metrics.resolutions.add(1, ["\(id)", "empty"])
                    logger.warning("resolver found no backends; keeping the last ones", metadata: ["exporter": "\(id)"])
                } else {
                    apply(names)
                    metrics.resolutions.add(1, ["\(id)", "success"])
                }
            } catch {
                metrics.resolutions.add(1, ["\(id)", "failure"])
                logger.warning("backend resolution failed; keeping the last backends", metadata: ["exporter": "\(id)", "error": "\(error)"])
            }
        } while await sleepUnlessStopped(resolver.interval)
    }

    /// Makes `resolved` the ring's members: new backends get workers, removed ones are retired
    /// and their queued spans routed over the new ring. An address no worker can be made for
    /// is left out and logged, so one bad answer does not freeze the membership.
    func apply(_ resolved: [String]) {
        changing.withLock { shuttingDown in
            guard !shuttingDown else { return }
            let current = state.withLock { $0.membership }
            let byName = Dictionary(uniqueKeysWithValues: zip(current.ring.members, current.workers))
            var names: [String] = []
            var added: [String: ExporterWorker] = [:]
            for name in Array(Set(resolved)).sorted() {
                if byName[name] != nil {
                    names.append(name)
                    continue
                }
                do {
                    added[name] = try makeWorker(name) { [weak self] spans in self?.reroute(spans) }
                    names.append(name)
                } catch {
                    metrics.resolutions.add(1, ["\(id)", "invalid"])
                    logger.warning(
                        "cannot send to a resolved backend; leaving it out", metadata: ["exporter": "\(id)", "backend": "\(name)", "error": "\(error)"])
                }
            }
            guard !names.isEmpty, names != current.ring.members else { return }
            let next = Membership(ring: HashRing(members: names), workers: names.map { byName[$0] ?? added[$0]! })
            let removed = current.ring.members.filter { !Set(names).contains($0) }.map { byName[$0]! }
            state.withLock { state in
                state.membership = next
                if state.started { for worker in added.values { start(worker, in: &state) } }
            }
            metrics.backends.set(Double(names.count), ["\(id)"])
            if !added.isEmpty { metrics.membershipChanges.add(Double(added.count), ["\(id)", "added"]) }
            if !removed.isEmpty { metrics.membershipChanges.add(Double(removed.count), ["\(id)", "removed"]) }
            if !current.ring.isEmpty {
                logger.info(
                    "backends changed",
                    metadata: ["exporter": "\(id)", "backends": "\(names)", "added": "\(added.keys.sorted())", "removed": "\(removed.map(\.id))"])
            }
            for worker in removed {
                let waiting = worker.retire()
                state.withLock { state in
                    let key = ObjectIdentifier(worker)
                    if let task = state.live.removeValue(forKey: key) { state.retiring[key] = task }
                }
                for spans in waiting { reroute(spans) }
            }
        }
    }

    private func reroute(_ spans: [TelemetrySpanData]) {
        metrics.rerouted.add(Double(spans.count), ["\(id)"])
        if !route(spans) {
            // Only reachable if every backend went at once, which `apply` never does.
            metrics.unroutable.add(Double(spans.count), ["\(id)"])
        }
    }

    /// Runs a backend's worker outside the caller's task tree, so the service group's
    /// graceful shutdown does not stop it before the routing stage has drained into it. A
    /// finished task is forgotten, so backends that come and go leave nothing behind.
    private func start(_ worker: ExporterWorker, in state: inout State) {
        let key = ObjectIdentifier(worker)
        state.live[key] = Task.detached { [weak self] in
            await worker.run()
            self?.state.withLock { state in
                state.live[key] = nil
                state.retiring[key] = nil
            }
        }
    }

    private func sleepUnlessStopped(_ duration: Duration) async -> Bool {
        await sleep(for: duration, unless: { self.state.withLock { $0.stopped } })
    }

    /// Stops resolving, lets every backend send what it holds, and waits for them. Retired
    /// backends finish first: what fails on them is routed to the live ones, whose queues are
    /// still open until then.
    package func shutdown() async {
        changing.withLock { $0 = true }
        let retiring = state.withLock { state in
            state.stopped = true
            if !state.started {
                // Never run: the workers still have to close their exporters.
                state.started = true
                for worker in state.membership.workers { start(worker, in: &state) }
            }
            return Array(state.retiring.values)
        }
        for task in retiring { await task.value }
        let (workers, live) = state.withLock { ($0.membership.workers, Array($0.live.values)) }
        for worker in workers { worker.beginShutdown() }
        for task in live { await task.value }
    }
}

extension ExporterWorker {
    /// Queues a routed batch in requests of at most `maxBatch` spans and returns what it could
    /// not queue because the worker was retired, to be routed again. A full queue drops a
    /// request and counts it, as for any exporter.
    func offerRouted(_ spans: [TelemetrySpanData]) -> ArraySlice<TelemetrySpanData> {
        guard let sendingQueue else {
            // Configuration keeps every backend's sending queue; handing the spans back would loop.
            drop(spans.count, .queueFull)
            return []
        }
        var start = 0
        while start < spans.count {
            let end = min(spans.count, start + maxBatch)
            let request = start == 0 && end == spans.count ? spans : Array(spans[start..<end])
            if !sendingQueue.offer(.init(spans: request)) {
                // Retired: the caller routes what is left again; full: dropped and counted.
                if retired.load(ordering: .sequentiallyConsistent) { return spans[start...] }
                drop(request.count, .queueFull)
            }
            start = end
        }
        metrics.exporterQueueSize.set(Double(sendingQueue.size.requests), ["\(id)"])
        return []
    }
}

/// The load balancer's own metrics; each backend's deliveries are in the exporter metrics
/// under `exporter="loadbalancing/<host:port>"`.
struct LoadBalancerMetrics: Sendable {
    let backends: MetricFamily
    let membershipChanges: MetricFamily
    let resolutions: MetricFamily
    let rerouted: MetricFamily
    let unroutable: MetricFamily

    init(registry: MetricRegistry, exporter: String) {
        backends = registry.gauge("pipeline_loadbalancer_backends", help: "Backends on the load balancer's ring.", labels: ["exporter"])
        membershipChanges = registry.counter(
            "pipeline_loadbalancer_membership_changes_total", help: "Backends added to or removed from the ring.",
            labels: ["exporter", "change"])
        resolutions = registry.counter(
            "pipeline_loadbalancer_resolutions_total", help: "Backend resolutions, by outcome (success, failure, empty).",
            labels: ["exporter", "outcome"])
        rerouted = registry.counter(
            "pipeline_loadbalancer_rerouted_spans_total", help: "Spans routed again after their backend was removed.",
            labels: ["exporter"])
        unroutable = registry.counter(
            "pipeline_loadbalancer_unroutable_spans_total", help: "Spans dropped because no backend was left to route them to.",
            labels: ["exporter"])
        backends.set(0, [exporter])
        rerouted.add(0, [exporter])
        for change in ["added", "removed"] { membershipChanges.add(0, [exporter, change]) }
    }
}

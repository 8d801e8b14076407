import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import TelemetryHTTPExport

/// The `prometheusremotewrite` exporter: every `export_interval` it snapshots the metric
/// registry (spanmetrics, `error_rate`, health, breaker and self-metrics), encodes the series
/// as remote-write 1.0 `WriteRequest`s, compresses them with snappy and posts them.
///
/// Every series carries `job` and `instance` labels naming this pipeline process: N pipeline
/// instances derive series with identical labels, and without a label of its own each
/// instance would overwrite the others' samples in Prometheus instead of adding a series, so
/// `sum(...)` over them would not be the fleet's total.
///
/// Requests wait in a bounded queue for `num_consumers` senders. A full queue drops the
/// oldest request: the metrics are cumulative, so a newer snapshot supersedes an older one.
/// 5xx, 429 (honouring `Retry-After`) and connection failures are retried by
/// `retry_on_failure`; other answers are permanent and the request is dropped. On graceful
/// shutdown it pushes a last snapshot, after the pipelines have drained; its requests get one
/// attempt each without retries, and older requests still queued are dropped as superseded.
package final class RemoteWriteExporter: Service, Sendable {
    let name: String
    let settings: RemoteWriteSettings
    let registry: MetricRegistry
    let labels: [RemoteWriteLabel]
    let client: HTTPClient
    let retrySleep: @Sendable (Duration) async throws -> Void
    let random: @Sendable () -> Double
    let now: @Sendable () -> Int64
    let logger: Logger
    let metrics: Metrics
    /// The number of the snapshot pushed at shutdown (`Int.max` until then): the counters are
    /// cumulative, so it supersedes every older request still queued, which is dropped rather
    /// than sent, keeping shutdown to one snapshot's requests however full the queue.
    let finalSnapshot = Atomic(Int.max)

    /// - Parameters:
    ///   - labels: labels added to every series (``labels(settings:job:instance:)``).
    ///   - retrySleep: waits between attempts; tests record the waits instead.
    ///   - now: milliseconds since the Unix epoch, each sample's timestamp.
    package init(
        name: String, settings: RemoteWriteSettings, registry: MetricRegistry, labels: [RemoteWriteLabel],
        client: HTTPClient = HTTPSpanDelivery.sharedClient,
        retrySleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        now: @escaping @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) },
        logger: Logger
    ) {
        self.name = name
        self.settings = settings
        self.registry = registry
        self.labels = labels
        self.client = client
        self.retrySleep = retrySleep
        self.random = random
        self.now = now
        self.logger = logger
        self.metrics = Metrics(registry: registry, exporter: name)
    }

    /// `job` and `instance`, then with `resource_to_telemetry_conversion` the pipeline's own
    /// resource (`service.name` the job, `service.version`, `service.instance.id` the
    /// instance) as `service_name`, `service_version` and `service_instance_id`, then
    /// `external_labels`; a later source replaces an earlier one's label of the same name.
    package static func labels(settings: RemoteWriteSettings, job: String, instance: String) -> [RemoteWriteLabel] {
        var merged = ["job": job, "instance": instance]
        if settings.resourceToTelemetry {
            let resource = ["service.name": job, "service.version": PipelineDaemon.version, "service.instance.id": instance]
            for (key, value) in resource { merged[RemoteWriteSnapshot.labelName(key)] = value }
        }
        merged.merge(settings.externalLabels) { $1 }
        return merged.map { RemoteWriteLabel($0.key, $0.value) }.sorted { $0.name < $1.name }
    }

    /// One exporter per `prometheusremotewrite` a pipeline lists, identified as `job` the
    /// monitoring name and `instance` this host and monitoring port (unique per process on a host).
    static func services(
        for configuration: PipelineConfiguration, used: some Collection<ComponentID>, registry: MetricRegistry, logger: Logger
    ) -> [any Service] {
        let instance = "\(ProcessInfo.processInfo.hostName):\(configuration.monitoring.endpoint.port)"
        return configuration.exporters.sorted(by: { $0.key < $1.key }).compactMap { id, settings in
            guard case .prometheusRemoteWrite(let settings) = settings, used.contains(id) else { return nil }
            let labels = labels(settings: settings, job: configuration.monitoring.name, instance: instance)
            return RemoteWriteExporter(name: "\(id)", settings: settings, registry: registry, labels: labels, logger: logger)
        }
    }

    package func run() async throws {
        let (stream, queue) = AsyncStream<RemoteWriteRequest.Body>.makeStream(bufferingPolicy: .bufferingNewest(settings.queueSize))
        await withTaskGroup(of: Void.self) { tasks in
            if settings.queueEnabled { tasks.addTask { await self.consume(stream) } }
            var snapshot = 0
            while true {
                do {
                    let interval = settings.exportInterval
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                } catch {
                    break
                }
                snapshot += 1
                await push(to: queue, snapshot: snapshot)
            }
            // A graceful shutdown (not a cancellation) pushes what the drained pipelines left.
            if !Task.isCancelled {
                finalSnapshot.store(snapshot + 1, ordering: .relaxed)
                await push(to: queue, snapshot: snapshot + 1)
            }
            queue.finish()
        }
    }

    /// Snapshots the registry into requests, queued or (without a queue) sent in turn.
    func push(to queue: AsyncStream<RemoteWriteRequest.Body>.Continuation, snapshot number: Int = 0) async {
        let snapshot = RemoteWriteSnapshot(registry.collect(), labels: labels, timestamp: now())
        let bodies = RemoteWriteRequest.bodies(series: snapshot.series, metadata: snapshot.metadata, maxBytes: settings.maxBatchSizeBytes)
        for var body in bodies {
            body.snapshot = number
            guard settings.queueEnabled else {
                await deliver(body)
                continue
            }
            switch queue.yield(body) {
            case .enqueued: metrics.queued(by: 1)
            case .dropped: metrics.dropped(.queueFull)
            case .terminated: metrics.dropped(.shutdown)
            @unknown default: break
            }
        }
    }

    /// Runs at most `num_consumers` deliveries at once until the queue is finished and empty.
    private func consume(_ stream: AsyncStream<RemoteWriteRequest.Body>) async {
        await withTaskGroup(of: Void.self) { senders in
            var running = 0
            for await body in stream {
                metrics.queued(by: -1)
                if running == settings.numConsumers {
                    await senders.next()
                    running -= 1
                }
                senders.addTask { await self.deliver(body) }
                running += 1
            }
        }
    }

    /// Sends one request until it is accepted, refused for good, or retries end.
    func deliver(_ body: RemoteWriteRequest.Body) async {
        let compressed = Snappy.compress(body.bytes)
        let schedule = RetrySchedule(settings.retry)
        let started = ContinuousClock.now
        var retry = 0
        while true {
            guard body.snapshot >= finalSnapshot.load(ordering: .relaxed) || !Task.isShuttingDownGracefully else {
                metrics.dropped(.shutdown)
                return
            }
            switch await attempt(compressed) {
            case .accepted:
                metrics.sent(samples: body.samples)
                return
            case .permanent(let status, let excerpt):
                metrics.dropped(.rejected)
                logger.warning(
                    "remote write refused, dropping the request",
                    metadata: ["exporter": "\(name)", "status": "\(status)", "samples": "\(body.samples)", "response": "\(excerpt)"])
                return
            case .retryable(let retryAfter, let reason):
                guard settings.retry.enabled, !Task.isShuttingDownGracefully else {
                    metrics.dropped(Task.isShuttingDownGracefully ? .shutdown : .retriesExhausted)
                    logger.warning("remote write failed", metadata: ["exporter": "\(name)", "last": "\(reason)", "samples": "\(body.samples)"])
                    return
                }
                retry += 1
                let delay = schedule.delay(beforeRetry: retry, random: random(), retryAfter: retryAfter)
                guard !schedule.givesUp(elapsed: started.duration(to: .now), delay: delay) else {
                    metrics.dropped(.retriesExhausted)
                    logger.warning(
                        "remote write failed, giving up",
                        metadata: ["exporter": "\(name)", "attempts": "\(retry)", "last": "\(reason)", "samples": "\(body.samples)"])
                    return
                }
                metrics.retried()
                do {
                    let sleep = retrySleep
                    try await cancelWhenGracefulShutdown { try await sleep(delay) }
                } catch {
                    // Shutting down: one more attempt, then the request goes.
                    if Task.isCancelled {
                        metrics.dropped(.shutdown)
                        return
                    }
                }
            }
        }
    }

    enum Outcome {
        case accepted
        case permanent(status: Int, excerpt: String)
        case retryable(after: Duration?, reason: String)
    }

    /// One POST with the remote-write 1.0 headers.
    private func attempt(_ compressed: [UInt8]) async -> Outcome {
        var request = HTTPClientRequest(url: settings.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Encoding", value: "snappy")
        request.headers.add(name: "Content-Type", value: "application/x-protobuf")
        request.headers.add(name: "X-Prometheus-Remote-Write-Version", value: "0.1.0")
        request.headers.add(name: "User-Agent", value: "telemetry-pipeline/\(PipelineDaemon.version)")
        for (header, value) in settings.headers.sorted(by: { $0.key < $1.key }) { request.headers.replaceOrAdd(name: header, value: value) }
        request.body = .bytes(ByteBuffer(bytes: compressed))
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(settings.timeout.nanoseconds))
            let status = Int(response.status.code)
            // The status decides; the body, read up to a bound and never failing the request,
            // only explains a refusal.
            var answer = ""
            do {
                for try await chunk in response.body {
                    if answer.utf8.count < 1_024 { answer += String(buffer: chunk) }
                }
            } catch {}
            if (200..<300).contains(status) { return .accepted }
            if status == 429 || status >= 500 {
                let retryAfter = response.headers.first(name: "retry-after").flatMap { RetryPolicy.parseRetryAfter($0) }
                return .retryable(after: retryAfter, reason: "HTTP \(status)")
            }
            return .permanent(status: status, excerpt: String(answer.prefix(200)))
        } catch {
            return .retryable(after: nil, reason: "\(error)")
        }
    }
}

import ServiceLifecycle
import TelemetryCore

/// One `service.pipelines` entry at run time: drains its queue through the processors in
/// order and fans the survivors out to every exporter. On shutdown it stops taking new
/// spans, drains every processor in order and hands everything to the exporters.
package final class PipelineRunner: Service, Sendable {
    package let name: String
    let queue: SpanQueue
    let stages: [any SpanProcessorStage]
    let exporters: [ExporterWorker]
    let clock: PipelineClock
    let tickInterval: Duration
    let metrics: SelfMetrics

    package init(
        name: String, capacity: Int, stages: [any SpanProcessorStage], exporters: [ExporterWorker], clock: @escaping PipelineClock,
        tickInterval: Duration = .milliseconds(100), metrics: SelfMetrics
    ) {
        self.name = name
        self.queue = SpanQueue(capacity: capacity)
        self.stages = stages
        self.exporters = exporters
        self.clock = clock
        self.tickInterval = tickInterval
        self.metrics = metrics
        metrics.queueCapacity.set(Double(capacity), ["pipeline/\(name)"])
    }

    /// Enqueues received spans; `false` (and counted) when the queue is full.
    func offer(_ spans: [SpanData]) -> Bool {
        let accepted = queue.offer(spans)
        if !accepted { metrics.dropped.add(Double(spans.count), ["pipeline/\(name)"]) }
        return accepted
    }

    package func run() async {
        await withGracefulShutdownHandler {
            while let spans = await queue.take(waitingAtMost: tickInterval) {
                let now = clock()
                metrics.queueSize.set(Double(queue.count), ["pipeline/\(name)"])
                if !spans.isEmpty { await push(spans, from: 0, now: now) }
                for (index, stage) in stages.enumerated() {
                    let released = stage.tick(now: now)
                    if !released.isEmpty { await push(released, from: index + 1, now: now) }
                }
            }
            await drainStages()
        } onGracefulShutdown: {
            self.queue.finish()
        }
    }

    /// Releases every held span, stage by stage, so each later stage sees them before it drains.
    func drainStages() async {
        let now = clock()
        for (index, stage) in stages.enumerated() {
            let released = stage.drain()
            if !released.isEmpty { await push(released, from: index + 1, now: now) }
        }
    }

    func push(_ spans: [SpanData], from index: Int, now: UInt64) async {
        var current = spans
        for stage in stages[index...] {
            current = stage.process(current, now: now)
            if current.isEmpty { return }
        }
        for exporter in exporters { await exporter.offer(current) }
    }
}

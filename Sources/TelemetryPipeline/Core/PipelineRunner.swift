import Foundation
import Logging
import ServiceLifecycle
import TelemetryCore

/// One `service.pipelines` entry at run time: drains its queue through the processors in
/// order and fans the survivors out to every exporter. On shutdown it stops taking new
/// spans, drains every processor in order and hands everything to the exporters.
///
/// Spans travel as the arrays receivers delivered (chunks), never flattened. A run of
/// observer stages (see `SpanProcessorStage.isObserver`) works on several chunks at once,
/// one lane per core, and the chunks move on only when every observer has seen them.
package final class PipelineRunner: Service, Sendable {
    package let name: String
    let queue: SpanQueue
    let stages: [any SpanProcessorStage]
    let exporters: [ExporterWorker]
    let clock: PipelineClock
    let tickInterval: Duration
    let metrics: SelfMetrics
    /// Chunks observed at once.
    let lanes: Int
    /// The journal and its watermark, when an exporter of the pipeline has persistent storage.
    package let durability: PipelineDurability?
    let logger: Logger

    package init(
        name: String, capacity: Int, stages: [any SpanProcessorStage], exporters: [ExporterWorker], clock: @escaping PipelineClock,
        tickInterval: Duration = .milliseconds(100), metrics: SelfMetrics,
        lanes: Int = ProcessInfo.processInfo.activeProcessorCount, durability: PipelineDurability? = nil,
        logger: Logger = Logger(label: "telemetry-pipeline")
    ) {
        self.durability = durability
        self.logger = logger
        self.name = name
        self.queue = SpanQueue(capacity: capacity)
        self.stages = stages
        self.exporters = exporters
        self.clock = clock
        self.tickInterval = tickInterval
        self.metrics = metrics
        self.lanes = max(1, lanes)
        metrics.queueCapacity.set(Double(capacity), ["pipeline/\(name)"])
    }

    /// Enqueues received spans; `false` (and counted) when the queue is full.
    func offer(_ spans: [TelemetrySpanData]) -> Bool {
        let accepted = queue.offer(spans)
        if !accepted { metrics.dropped.add(Double(spans.count), ["pipeline/\(name)"]) }
        return accepted
    }

    /// Enqueues a journaled record's spans under sequence number `sequence`; called by the
    /// journal in sequence order. `false` (and counted) when the queue is full.
    func offer(_ spans: [TelemetrySpanData], sequence: UInt64) -> Bool {
        durability?.enqueued(sequence)
        let accepted = offer(spans)
        if !accepted { durability?.refused() }
        return accepted
    }

    package func run() async {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                if let durability { group.addTask { await self.replay(durability) } }
                while let chunks = await queue.takeChunks(waitingAtMost: tickInterval) {
                    let now = clock()
                    let hold = durability.map { DurabilityHold(holds: $0.holds, tag: $0.beginIteration(now: now, taken: chunks.count)) }
                    metrics.queueSize.set(Double(queue.count), ["pipeline/\(name)"])
                    if let durability { publish(durability.journal) }
                    if !chunks.isEmpty { await push(chunks, from: 0, now: now, hold: hold) }
                    for (index, stage) in stages.enumerated() {
                        let released = stage.tickChunks(now: now)
                        if !released.isEmpty { await push(released, from: index + 1, now: now, hold: hold) }
                    }
                    durability?.endIteration(oldestHeldArrival: stages.compactMap { $0.oldestHeldArrival }.min())
                }
                await drainStages()
            }
            if let durability {
                durability.endIteration(oldestHeldArrival: nil)
                await durability.journal.close()
            }
        } onGracefulShutdown: {
            self.queue.finish()
        }
    }

    private func publish(_ journal: IntakeJournal) {
        let labels = ["pipeline/\(name)"]
        let commits = journal.commits
        metrics.journalBytes.set(Double(journal.size), labels)
        metrics.journalCommits.set(Double(commits.count), labels)
        metrics.journalCommittedRecords.set(Double(commits.records), labels)
        metrics.journalCommitSeconds.set(commits.seconds, labels)
    }

    /// Feeds the records a previous run left in the journal back through the pipeline, in
    /// order, before the journal takes new ones.
    private func replay(_ durability: PipelineDurability) async {
        let range = durability.journal.replayRange
        guard !range.isEmpty else { return }
        var records = 0, spans = 0
        await durability.journal.replay { sequence, format, body in
            guard let decoded = durability.decode(format, body), !decoded.isEmpty else { return true }
            durability.enqueued(sequence)
            guard await queue.offerWaiting(decoded) else { return false }
            records += 1
            spans += decoded.count
            return true
        }
        metrics.replayed.add(Double(spans), ["pipeline/\(name)"])
        logger.info("journal replayed", metadata: ["pipeline": "\(name)", "records": "\(records)", "spans": "\(spans)"])
    }

    /// Releases every held span, stage by stage, so each later stage sees them before it drains.
    func drainStages() async {
        let now = clock()
        let hold = durability.map { DurabilityHold(holds: $0.holds, tag: $0.beginIteration(now: now, taken: 0)) }
        for (index, stage) in stages.enumerated() {
            let released = stage.drainChunks()
            if !released.isEmpty { await push(released, from: index + 1, now: now, hold: hold) }
        }
    }

    func push(_ chunks: [[TelemetrySpanData]], from index: Int, now: UInt64, hold: DurabilityHold? = nil) async {
        var current = chunks
        var next = index
        while next < stages.count {
            if stages[next].isObserver {
                var end = next + 1
                while end < stages.count, stages[end].isObserver { end += 1 }
                await observe(current, by: stages[next..<end], now: now)
                next = end
            } else {
                current = stages[next].process(chunks: current, now: now)
                if current.isEmpty { return }
                next += 1
            }
        }
        for exporter in exporters { await exporter.offer(chunks: current, hold: hold) }
    }

    /// Small chunks are merged before observing, so per-call work stays amortised.
    static let smallChunk = 256

    /// Runs observer stages over the chunks, spread over `lanes` concurrent lanes by span count.
    func observe(_ chunks: [[TelemetrySpanData]], by observers: ArraySlice<any SpanProcessorStage>, now: UInt64) async {
        let units = Self.mergingSmall(chunks)
        let laneCount = min(lanes, units.count)
        guard laneCount > 1 else {
            Self.observe(units, by: observers, now: now)
            return
        }
        var assigned = [[[TelemetrySpanData]]](repeating: [], count: laneCount)
        var totals = [Int](repeating: 0, count: laneCount)
        for unit in units.sorted(by: { $0.count > $1.count }) {
            let lane = totals.indices.min { totals[$0] < totals[$1] }!
            assigned[lane].append(unit)
            totals[lane] += unit.count
        }
        await withTaskGroup(of: Void.self) { group in
            for lane in assigned.dropFirst() {
                group.addTask { Self.observe(lane, by: observers, now: now) }
            }
            Self.observe(assigned[0], by: observers, now: now)
        }
    }

    private static func observe(_ chunks: [[TelemetrySpanData]], by observers: ArraySlice<any SpanProcessorStage>, now: UInt64) {
        for chunk in chunks {
            for observer in observers { _ = observer.process(chunk, now: now) }
        }
    }

    private static func mergingSmall(_ chunks: [[TelemetrySpanData]]) -> [[TelemetrySpanData]] {
        guard chunks.contains(where: { $0.count < smallChunk }) else { return chunks }
        var result: [[TelemetrySpanData]] = []
        var pending: [TelemetrySpanData] = []
        for chunk in chunks {
            if chunk.count >= smallChunk {
                result.append(chunk)
            } else {
                pending.append(contentsOf: chunk)
                if pending.count >= 4 * smallChunk {
                    result.append(pending)
                    pending = []
                }
            }
        }
        if !pending.isEmpty { result.append(pending) }
        return result
    }
}

import Synchronization
import TelemetryCore

/// Recent traces held in memory for lookup and search: bounded by an estimate of the bytes
/// its spans occupy and by a retention period, evicting the traces that arrived first.
///
/// Every index is derived from the stored spans and shrinks as they are evicted, so nothing
/// keyed by incoming data outlives the data: a flood of distinct services or operation
/// names costs what its spans cost and leaves with them.
public final class TraceStore: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// The estimated size of the stored spans (``TraceStore/estimatedBytes(of:)``) and their
        /// search index above which the oldest traces are evicted. Default 64 MiB.
        public var maxBytes: Int
        /// How long a trace is kept after its first span arrived. Default one hour.
        public var retention: Duration

        public init(maxBytes: Int = 64 << 20, retention: Duration = .seconds(3600)) {
            self.maxBytes = maxBytes
            self.retention = retention
        }
    }

    /// What the store holds now.
    public struct Statistics: Sendable, Equatable {
        public var traces: Int
        public var spans: Int
        public var bytes: Int
        /// Traces evicted so far because the store was full or they outlived the retention.
        public var evictedTraces: Int
    }

    public let configuration: Configuration
    private let state: Mutex<State>

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.state = Mutex(State())
    }

    /// Adds spans that arrived at `now` (wall-clock nanoseconds), then evicts what the bounds
    /// no longer allow.
    public func insert(_ spans: some Collection<TelemetrySpanData>, now: UInt64) {
        guard !spans.isEmpty else { return }
        let cutoff = retentionCutoff(now: now)
        // Hashing the index terms is most of an insert's work and needs no shared state, so
        // concurrent inserts do it in parallel before they take the lock.
        var terms: [UInt64] = []
        var termEnds: [Int] = []
        terms.reserveCapacity(spans.count * 12)
        termEnds.reserveCapacity(spans.count)
        for span in spans {
            SearchTerm.appendTerms(of: span, to: &terms)
            termEnds.append(terms.count)
        }
        state.withLock { state in
            // Expired traces go first, so a late span of one starts it anew rather than
            // joining it on its way out.
            state.evict(maxBytes: .max, arrivedBefore: cutoff)
            var termStart = 0
            for (span, termEnd) in zip(spans, termEnds) {
                state.insert(span, terms: terms[termStart..<termEnd], now: now)
                termStart = termEnd
            }
            state.evict(maxBytes: configuration.maxBytes, arrivedBefore: cutoff)
        }
    }

    /// Evicts the traces that outlived the retention at `now`; ``insert(_:now:)`` does this too,
    /// so a store that receives nothing still lets old traces go when it is read.
    public func expire(now: UInt64) {
        let cutoff = retentionCutoff(now: now)
        state.withLock { $0.evict(maxBytes: configuration.maxBytes, arrivedBefore: cutoff) }
    }

    /// Traces that arrived before this outlived the retention at `now`.
    private func retentionCutoff(now: UInt64) -> UInt64 {
        let retention = configuration.retention.saturatingNanoseconds
        return now >= retention ? now - retention : 0
    }

    /// The spans of one trace, in arrival order; `nil` when it is not stored.
    public func trace(_ id: TraceID) -> [TelemetrySpanData]? {
        state.withLock { state in state.slotOf[id].flatMap { state.slots[$0]?.spans } }
    }

    /// The services that have spans stored, sorted.
    public func services() -> [String] {
        state.withLock { state in state.services.keys.sorted() }
    }

    /// The operations of `service` (all span kinds, or only `kind`), sorted by name then kind.
    public func operations(service: String, kind: TelemetrySpanKind? = nil) -> [ServiceOperation] {
        state.withLock { state in
            (state.services[service]?.operations.keys).map { keys in
                keys.filter { kind == nil || $0.kind == kind }.sorted()
            } ?? []
        }
    }

    /// The newest traces with a span matching `query`, at most `query.limit`, newest first.
    ///
    /// Reads the traces listed under the query's rarest indexed condition (the service, its
    /// operation, one tag, or the duration bounds), newest first, and matches each in full; so
    /// the cost follows how many traces that condition names, not how many are stored.
    public func search(_ query: TraceQuery) -> [[TelemetrySpanData]] {
        state.withLock { state in
            guard let service = state.services[query.service]?.id, query.limit > 0 else { return [] }
            let conditions = SearchTerm.conditions(of: query)
            let rarest = conditions.min { state.index.count(ofAny: $0) < state.index.count(ofAny: $1) } ?? []
            var found: [[TelemetrySpanData]] = []
            for generation in state.index.newestFirst(withAnyOf: rarest) {
                guard let trace = state.trace(generation: generation) else { continue }
                for position in trace.spans.indices where trace.serviceIDs[position] == service {
                    if query.matchesConditions(trace.spans[position]) {
                        found.append(trace.spans)
                        break
                    }
                }
                if found.count == query.limit { break }
            }
            return found
        }
    }

    /// Calls between services in the traces whose earliest span started within
    /// `startNanos...endNanos`: for every span whose parent is in the same trace and belongs to
    /// another service, one call from the parent's service to the span's, weighted by the
    /// span's sampling weight (see `adjustedCount`).
    public func dependencies(startNanos: UInt64, endNanos: UInt64) -> [ServiceDependency] {
        guard startNanos <= endNanos else { return [] }
        return state.withLock { state in
            var calls: [ServicePair: Double] = [:]
            for case let trace? in state.slots where (startNanos...endNanos).contains(trace.earliestStart) {
                var serviceOf: [SpanID: String] = [:]
                serviceOf.reserveCapacity(trace.spans.count)
                for span in trace.spans { serviceOf[span.spanID] = span.resource.serviceName }
                for span in trace.spans {
                    guard let parent = span.parentSpanID, let parentService = serviceOf[parent] else { continue }
                    let service = span.resource.serviceName
                    guard parentService != service else { continue }
                    calls[ServicePair(parent: parentService, child: service), default: 0] += span.adjustedCount
                }
            }
            return calls.map { ServiceDependency(parent: $0.key.parent, child: $0.key.child, callCount: $0.value) }
                .sorted { ($0.parent, $0.child) < ($1.parent, $1.child) }
        }
    }

    public var statistics: Statistics {
        state.withLock { state in
            Statistics(
                traces: state.slotOf.count, spans: state.spanCount, bytes: state.totalBytes, evictedTraces: state.evictedTraces)
        }
    }

    /// An operation as the query API lists it: a span name and the kind of span it names.
    public struct ServiceOperation: Sendable, Hashable, Comparable {
        public var name: String
        public var kind: TelemetrySpanKind

        public static func < (lhs: ServiceOperation, rhs: ServiceOperation) -> Bool {
            (lhs.name, lhs.kind.rawValue) < (rhs.name, rhs.kind.rawValue)
        }
    }

    /// Calls from one service to another, as `/api/dependencies` reports them.
    public struct ServiceDependency: Sendable, Equatable {
        public var parent: String
        public var child: String
        /// Estimated calls: each sampled call counts as the calls it stands for.
        public var callCount: Double
    }

    struct ServicePair: Hashable {
        var parent: String
        var child: String
    }
}

extension TraceStore {
    struct StoredTrace {
        var spans: [TelemetrySpanData]
        /// Each span's service, as ``ServiceEntry/id``: what searches compare.
        var serviceIDs: [Int]
        var bytes: Int
        var earliestStart: UInt64
        /// The index terms the trace's spans added, which its eviction removes.
        var terms: [UInt64]
        /// Which arrival entry owns the slot: a trace evicted and then heard from again is
        /// stored anew, possibly in another trace's old slot, and a stale entry must not evict it.
        var generation: UInt64
    }

    struct Arrival {
        var slot: Int
        var generation: UInt64
        var time: UInt64
    }

    /// A service with spans stored: a number for fast comparison, and its operations.
    struct ServiceEntry {
        var id: Int
        var spans = 0
        var operations: [ServiceOperation: Int] = [:]
    }

    struct State {
        var slotOf: [TraceID: Int] = [:]
        var slots: [StoredTrace?] = []
        var freeSlots: [Int] = []
        /// Traces in order of their first span's arrival, oldest from `head`; entries of
        /// evicted traces are skipped by generation and dropped as `head` passes them.
        var arrivals: [Arrival] = []
        var head = 0
        var nextGeneration: UInt64 = 0
        var bytes = 0
        var spanCount = 0
        var evictedTraces = 0
        /// The services with spans stored, and their operations' span counts.
        var services: [String: ServiceEntry] = [:]
        var nextServiceID = 0
        var index = TermIndex()

        /// The spans' estimate plus the index's, which ``Configuration/maxBytes`` bounds.
        var totalBytes: Int { bytes + index.bytes }

        /// The stored trace of `generation`, when it is still stored.
        func trace(generation: UInt64) -> StoredTrace? {
            guard head < arrivals.count, generation >= arrivals[head].generation else { return nil }
            let position = head + Int(generation - arrivals[head].generation)
            guard position < arrivals.count, let trace = slots[arrivals[position].slot], trace.generation == generation
            else { return nil }
            return trace
        }

        /// Adds `span` and its index `terms` (``SearchTerm/appendTerms(of:to:)``).
        mutating func insert(_ span: TelemetrySpanData, terms: ArraySlice<UInt64>, now: UInt64) {
            let size = TraceStore.estimatedBytes(of: span)
            bytes += size
            spanCount += 1
            let name = span.resource.serviceName
            let serviceID: Int
            if let known = services[name]?.id {
                serviceID = known
            } else {
                serviceID = nextServiceID
                nextServiceID += 1
                services[name] = ServiceEntry(id: serviceID)
            }
            services[name]!.spans += 1
            services[name]!.operations[ServiceOperation(name: span.name, kind: span.kind), default: 0] += 1
            let slot: Int
            if let known = slotOf[span.traceID] {
                slot = known
                slots[slot]!.spans.append(span)
                slots[slot]!.serviceIDs.append(serviceID)
                slots[slot]!.bytes += size
                slots[slot]!.earliestStart = min(slots[slot]!.earliestStart, span.startTimeNanos)
            } else {
                nextGeneration += 1
                var traceTerms: [UInt64] = []
                traceTerms.reserveCapacity(2 * terms.count)
                let trace = StoredTrace(
                    spans: [span], serviceIDs: [serviceID], bytes: size, earliestStart: span.startTimeNanos,
                    terms: traceTerms,
                    generation: nextGeneration)
                if let free = freeSlots.popLast() {
                    slot = free
                    slots[slot] = trace
                } else {
                    slot = slots.count
                    slots.append(trace)
                }
                slotOf[span.traceID] = slot
                arrivals.append(Arrival(slot: slot, generation: nextGeneration, time: now))
            }
            let generation = slots[slot]!.generation
            for term in terms where index.add(term, generation: generation) {
                slots[slot]!.terms.append(term)
                slots[slot]!.bytes += TermIndex.entryBytes
                bytes += TermIndex.entryBytes
            }
        }

        mutating func evict(maxBytes: Int, arrivedBefore cutoff: UInt64) {
            while head < arrivals.count, totalBytes > maxBytes || arrivals[head].time < cutoff {
                let arrival = arrivals[head]
                head += 1
                guard let trace = slots[arrival.slot], trace.generation == arrival.generation else { continue }
                slots[arrival.slot] = nil
                freeSlots.append(arrival.slot)
                slotOf[trace.spans[0].traceID] = nil
                remove(trace)
            }
            // Reclaim the passed entries once they are the larger part of the array.
            if head > 1024, head * 2 > arrivals.count {
                arrivals.removeFirst(head)
                head = 0
            }
        }

        mutating func remove(_ trace: StoredTrace) {
            bytes -= trace.bytes
            spanCount -= trace.spans.count
            evictedTraces += 1
            for term in trace.terms { index.remove(term, generation: trace.generation) }
            for span in trace.spans {
                let name = span.resource.serviceName
                guard var entry = services.removeValue(forKey: name) else { continue }
                entry.spans -= 1
                guard entry.spans > 0 else { continue }  // the service leaves with its last span
                let operation = ServiceOperation(name: span.name, kind: span.kind)
                if let count = entry.operations[operation], count > 1 {
                    entry.operations[operation] = count - 1
                } else {
                    entry.operations[operation] = nil
                }
                services[name] = entry
            }
        }
    }
}

import TelemetryCore

extension TraceStore {
    /// Which traces hold a span with a given term — its service, its service and operation, its
    /// service and one tag, or its service and duration class — so a search reads the traces on
    /// its rarest condition's list instead of walking every stored trace.
    ///
    /// A term is a 64-bit hash; two terms that collide share a list, which only adds candidates
    /// the search's full match then rejects. Lists hold trace generations in ascending order,
    /// and since the store evicts in generation order an evicted trace is always at the front of
    /// each of its lists: removal is exact and constant-time, and a list and its key leave with
    /// its last trace, so the index never outgrows the traces it describes.
    struct TermIndex {
        private var postings: [UInt64: PostingList] = [:]

        /// The estimated memory of the lists' keys and headers; entries are counted against
        /// the traces holding them (``entryBytes``).
        private(set) var bytes = 0

        /// A list's dictionary slot and header beside its entries.
        static let listBytes = 64
        /// An entry in a list plus the term's copy in its trace, for eviction.
        static let entryBytes = 16

        /// Records that trace `generation` has `term`; `false` when it was already recorded.
        mutating func add(_ term: UInt64, generation: UInt64) -> Bool {
            if let inserted = postings[term]?.insert(generation) { return inserted }
            postings[term] = PostingList(generation)
            bytes += Self.listBytes
            return true
        }

        /// Forgets trace `generation`'s `term`, dropping the list with its last entry.
        mutating func remove(_ term: UInt64, generation: UInt64) {
            guard postings[term]?.remove(generation) == .emptied else { return }
            postings[term] = nil
            bytes -= Self.listBytes
        }

        /// How many entries the lists of `terms` hold together: a bound on the traces a search
        /// on them reads.
        func count(ofAny terms: [UInt64]) -> Int {
            terms.reduce(0) { $0 + (postings[$1]?.count ?? 0) }
        }

        /// The generations with any of `terms`, newest first, each once.
        func newestFirst(withAnyOf terms: [UInt64]) -> some Sequence<UInt64> {
            MergedPostings(lists: terms.compactMap { postings[$0] })
        }
    }

    /// Ascending generations, trimmed from the front: the store evicts oldest first.
    struct PostingList {
        private var entries: [UInt64]
        private var head = 0

        init(_ generation: UInt64) { entries = [generation] }

        var count: Int { entries.count - head }
        var isEmpty: Bool { head == entries.count }

        /// Adds `generation` in order; `false` when present. A trace's spans usually arrive
        /// together, so the common case is an append or a match with the last entry.
        mutating func insert(_ generation: UInt64) -> Bool {
            guard let last = entries.last, last >= generation else {
                entries.append(generation)
                return true
            }
            if last == generation { return false }
            let position = insertionPoint(of: generation)
            if position < entries.count, entries[position] == generation { return false }
            entries.insert(generation, at: position)
            return true
        }

        enum Removal { case absent, removed, emptied }

        /// Removes `generation`, found at the front unless the caller evicts out of order.
        mutating func remove(_ generation: UInt64) -> Removal {
            if head < entries.count, entries[head] == generation {
                head += 1
            } else {
                let position = insertionPoint(of: generation)
                guard position < entries.count, entries[position] == generation else { return .absent }
                entries.remove(at: position)
            }
            if head == entries.count { return .emptied }
            if head > 16, head * 2 > entries.count {
                entries.removeFirst(head)
                head = 0
            }
            return .removed
        }

        private func insertionPoint(of generation: UInt64) -> Int {
            var low = head
            var high = entries.count
            while low < high {
                let middle = (low + high) / 2
                if entries[middle] < generation { low = middle + 1 } else { high = middle }
            }
            return low
        }

        func element(fromNewest offset: Int) -> UInt64? {
            offset < count ? entries[entries.count - 1 - offset] : nil
        }
    }

    /// The union of a few posting lists, newest generation first, without duplicates.
    struct MergedPostings: Sequence, IteratorProtocol {
        let lists: [PostingList]
        var offsets: [Int]
        var last: UInt64?

        init(lists: [PostingList]) {
            self.lists = lists
            self.offsets = Array(repeating: 0, count: lists.count)
        }

        mutating func next() -> UInt64? {
            while true {
                var newest: (list: Int, generation: UInt64)?
                for index in lists.indices {
                    guard let generation = lists[index].element(fromNewest: offsets[index]) else { continue }
                    if let current = newest, current.generation >= generation { continue }
                    newest = (index, generation)
                }
                guard let newest else { return nil }
                offsets[newest.list] += 1
                if newest.generation != last {
                    last = newest.generation
                    return newest.generation
                }
            }
        }
    }
}

/// The hashed terms the index keeps per span, and the ones a query asks for. Every term starts
/// from its span's service, hashed once (``service(_:)``), so a term never matches another
/// service's spans and hashing needs no state of the store: the store hashes a batch before
/// it takes its lock.
enum SearchTerm {
    /// Keys of the tags Jaeger's translation synthesizes, all of which are indexed.
    static let synthesizedKeys = [
        "error", "span.kind", "otel.status_code", "otel.status_description", "otel.scope.name", "otel.scope.version",
    ]

    /// The term of every span of `service`; also the seed of its other terms.
    static func service(_ service: String) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(service)
        return finish(hasher)
    }

    static func operation(_ service: UInt64, _ name: String) -> UInt64 {
        var hasher = hasher(kind: 1, service)
        hasher.combine(name)
        return finish(hasher)
    }

    static func tag(_ service: UInt64, _ key: String, _ value: String) -> UInt64 {
        var hasher = hasher(kind: 2, service)
        hasher.combine(key)
        hasher.combine(value)
        return finish(hasher)
    }

    /// Durations in powers of two: a bound selects its class and those beyond it.
    static func durationClass(_ service: UInt64, _ durationClass: Int) -> UInt64 {
        var hasher = hasher(kind: 3, service)
        hasher.combine(durationClass)
        return finish(hasher)
    }

    static func durationClass(of nanoseconds: UInt64) -> Int { UInt64.bitWidth - nanoseconds.leadingZeroBitCount }

    /// Appends every term of `span` to `terms`: duplicates are possible (the index ignores
    /// them), and every tag ``TraceQuery`` can match is among them, with its value rendered as
    /// the query compares it. The service's own term comes first.
    static func appendTerms(of span: TelemetrySpanData, to terms: inout [UInt64]) {
        let service = service(span.resource.serviceName)
        terms.append(service)
        terms.append(operation(service, span.name))
        terms.append(durationClass(service, durationClass(of: span.durationNanos)))
        for key in synthesizedKeys {
            if let value = JaegerTags.synthesized(key, of: span) { terms.append(tag(service, key, value)) }
        }
        for attribute in span.attributes { terms.append(tag(service, attribute.key, attribute.value.description)) }
        for attribute in span.resource.attributes {
            terms.append(tag(service, attribute.key, attribute.value.description))
        }
        for event in span.events {
            terms.append(tag(service, "event", event.name))
            for attribute in event.attributes { terms.append(tag(service, attribute.key, attribute.value.description)) }
        }
    }

    /// For each indexed condition of `query`, the terms of which a matching trace has at
    /// least one; the conditions the index does not cover (start time) are left to the match.
    static func conditions(of query: TraceQuery) -> [[UInt64]] {
        let service = service(query.service)
        var conditions: [[UInt64]] = [[service]]
        if let name = query.operation { conditions.append([operation(service, name)]) }
        for (key, value) in query.tags { conditions.append([tag(service, key, value)]) }
        if query.minDurationNanos != nil || query.maxDurationNanos != nil {
            let lowest = query.minDurationNanos.map(durationClass(of:)) ?? 0
            let highest = query.maxDurationNanos.map(durationClass(of:)) ?? UInt64.bitWidth
            conditions.append(lowest <= highest ? (lowest...highest).map { durationClass(service, $0) } : [])
        }
        return conditions
    }

    /// Starts a term's hash with what kind of term it is, so equal strings of different kinds differ.
    private static func hasher(kind: UInt8, _ service: UInt64) -> Hasher {
        var hasher = Hasher()
        hasher.combine(kind)
        hasher.combine(service)
        return hasher
    }

    private static func finish(_ hasher: consuming Hasher) -> UInt64 {
        UInt64(bitPattern: Int64(hasher.finalize()))
    }
}

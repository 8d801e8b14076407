/// The body of `GET /monitoring/errors/details`: error groups, newest first.
public struct ErrorDetailsSnapshot: Sendable, Hashable, Codable {
    /// When the snapshot was taken (ISO 8601).
    public var timestamp: String
    /// Groups matching the filter, before `limit` was applied.
    public var totalGroups: Int
    /// The groups, most recently seen first.
    public var groups: [ErrorGroup]

    /// Creates a snapshot.
    public init(timestamp: String, totalGroups: Int, groups: [ErrorGroup]) {
        self.timestamp = timestamp
        self.totalGroups = totalGroups
        self.groups = groups
    }

    enum CodingKeys: String, CodingKey {
        case timestamp
        case totalGroups = "total_groups"
        case groups
    }
}

/// Errors sharing a fingerprint (service, type, normalised message).
public struct ErrorGroup: Sendable, Hashable, Codable {
    /// A stable short identifier of the fingerprint (16 hex digits).
    public var fingerprint: String
    /// The service the errors happened in.
    public var service: String
    /// Their type.
    public var type: ErrorType
    /// The highest severity seen in the group.
    public var severity: Severity
    /// The normalised message shared by the group.
    public var message: String
    /// How many errors the group holds (weighted).
    public var count: Double
    /// First occurrence (ISO 8601).
    public var firstSeen: String
    /// Latest occurrence (ISO 8601).
    public var lastSeen: String
    /// The most recent occurrences, newest first.
    public var samples: [ErrorSample]

    /// Creates a group value.
    public init(
        fingerprint: String,
        service: String,
        type: ErrorType,
        severity: Severity,
        message: String,
        count: Double,
        firstSeen: String,
        lastSeen: String,
        samples: [ErrorSample]
    ) {
        self.fingerprint = fingerprint
        self.service = service
        self.type = type
        self.severity = severity
        self.message = message
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.samples = samples
    }

    enum CodingKeys: String, CodingKey {
        case fingerprint, service, type, severity, message, count
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case samples
    }
}

/// One occurrence of an error, kept as an example of its group.
public struct ErrorSample: Sendable, Hashable, Codable {
    /// The message as recorded.
    public var message: String
    /// The trace the error happened in (32 hex digits), if known.
    public var traceID: String?
    /// The span the error happened in (16 hex digits), if known.
    public var spanID: String?
    /// When it was recorded (ISO 8601).
    public var timestamp: String
    /// The severity it was recorded with.
    public var severity: Severity

    /// Creates a sample.
    public init(message: String, traceID: String?, spanID: String?, timestamp: String, severity: Severity) {
        self.message = message
        self.traceID = traceID
        self.spanID = spanID
        self.timestamp = timestamp
        self.severity = severity
    }

    enum CodingKeys: String, CodingKey {
        case message
        case traceID = "trace_id"
        case spanID = "span_id"
        case timestamp, severity
    }
}

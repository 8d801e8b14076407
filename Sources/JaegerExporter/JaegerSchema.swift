/// Field ids and enum values of jaeger.thrift's Batch, Process, Span, Tag, Log and SpanRef,
/// as `proto/jaeger/jaeger-batch.schema.md` describes them.
enum JaegerSchema {
    enum Batch {
        static let process: Int16 = 1
        static let spans: Int16 = 2
    }

    enum Process {
        static let serviceName: Int16 = 1
        static let tags: Int16 = 2
    }

    enum Span {
        static let traceIdLow: Int16 = 1
        static let traceIdHigh: Int16 = 2
        static let spanId: Int16 = 3
        static let parentSpanId: Int16 = 4
        static let operationName: Int16 = 5
        static let references: Int16 = 6
        static let flags: Int16 = 7
        static let startTime: Int16 = 8
        static let duration: Int16 = 9
        static let tags: Int16 = 10
        static let logs: Int16 = 11
    }

    enum Tag {
        static let key: Int16 = 1
        static let vType: Int16 = 2
        static let vStr: Int16 = 3
        static let vDouble: Int16 = 4
        static let vBool: Int16 = 5
        static let vLong: Int16 = 6
        static let vBinary: Int16 = 7
    }

    enum Log {
        static let timestamp: Int16 = 1
        static let fields: Int16 = 2
    }

    enum SpanRef {
        static let refType: Int16 = 1
        static let traceIdLow: Int16 = 2
        static let traceIdHigh: Int16 = 3
        static let spanId: Int16 = 4
    }

    /// `TagType` values.
    enum TagType: Int32 {
        case string = 0
        case double = 1
        case bool = 2
        case long = 3
        case binary = 4
    }

    /// `SpanRefType` values.
    enum RefType: Int32 {
        case childOf = 0
        case followsFrom = 1
    }

    /// Tag keys that carry OpenTelemetry span fields Jaeger has no field for.
    enum Keys {
        static let spanKind = "span.kind"
        static let statusCode = "otel.status_code"
        static let statusDescription = "otel.status_description"
        static let error = "error"
        static let scopeName = "otel.scope.name"
        static let scopeVersion = "otel.scope.version"
        static let libraryName = "otel.library.name"
        static let libraryVersion = "otel.library.version"
        static let traceState = "w3c.tracestate"
        static let event = "event"
        static let serviceName = "service.name"
    }

    /// `flags` bits.
    static let sampledFlag: Int32 = 1
}

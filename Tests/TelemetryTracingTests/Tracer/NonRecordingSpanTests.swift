import TelemetryCore
import TelemetryTesting
import Testing
import Tracing

@testable import TelemetryTracing

/// Spans that are not sampled record nothing, but still get IDs of their own.
@Suite struct NonRecordingSpanTests {
    private static let incomingTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    private static let incomingSpanID = "00f067aa0ba902b7"

    private func unsampledIncoming(_ tracer: TelemetryTracer) -> ServiceContext {
        var context = ServiceContext.topLevel
        tracer.extract(
            ["traceparent": "00-\(Self.incomingTraceID)-\(Self.incomingSpanID)-00"],
            into: &context,
            using: DictionaryExtractor()
        )
        return context
    }

    private func traceparent(of span: TelemetrySpan, _ tracer: TelemetryTracer) throws -> [Substring] {
        var headers: [String: String] = [:]
        tracer.inject(span.context, into: &headers, using: DictionaryInjector())
        let header = try #require(headers["traceparent"])
        return header.split(separator: "-")
    }

    /// Every `parentbased_*` default and a custom delegate that drops: the fast path and the
    /// sampler's path must agree.
    static let samplers: [any Sampler] = [
        ParentBasedSampler(root: AlwaysOnSampler()),
        ParentBasedSampler(root: AlwaysOnSampler(), remoteParentNotSampled: TraceIDRatioSampler(probability: 0)),
        AlwaysOffSampler(),
    ]

    @Test(arguments: samplers)
    func anUnsampledChildPropagatesItsOwnSpanIDWithTheSampledFlagOff(sampler: any Sampler) throws {
        let (tracer, processor) = TelemetryTracer.forTesting(sampler: sampler)
        let child = tracer.startSpan("SELECT users", context: unsampledIncoming(tracer), ofKind: .client)
        #expect(!child.isRecording)

        let spanContext = try #require(child.spanContext)
        #expect(spanContext.traceID.hexString == Self.incomingTraceID)
        #expect(spanContext.parentSpanID?.hexString == Self.incomingSpanID)
        #expect(spanContext.spanID.isValid)
        #expect(spanContext.spanID.hexString != Self.incomingSpanID)
        #expect(!spanContext.isSampled)

        let fields = try traceparent(of: child, tracer)
        #expect(fields.count == 4)
        #expect(fields[1] == Substring(Self.incomingTraceID))
        #expect(fields[2] == Substring(spanContext.spanID.hexString))
        #expect(fields[2] != Substring(Self.incomingSpanID))
        #expect(fields[3] == "00")
        child.end()
        #expect(processor.spans.isEmpty)
    }

    @Test func siblingsAndGrandchildrenEachGetADistinctSpanID() throws {
        let (tracer, _) = TelemetryTracer.forTesting(sampler: ParentBasedSampler(root: AlwaysOnSampler()))
        let incoming = unsampledIncoming(tracer)
        let first = tracer.startSpan("first", context: incoming)
        let second = tracer.startSpan("second", context: incoming)
        let grandchild = tracer.startSpan("grandchild", context: first.context)
        let ids = try [first, second, grandchild].map { try #require($0.spanContext).spanID }
        #expect(Set(ids).count == 3)
        #expect(grandchild.spanContext?.parentSpanID == first.spanContext?.spanID)
        #expect(grandchild.spanContext?.traceID == first.spanContext?.traceID)
        #expect(try traceparent(of: grandchild, tracer)[2] == Substring(ids[2].hexString))
    }

    @Test func anAlwaysOffRootStartsANewTraceThatChildrenContinue() throws {
        let (tracer, processor) = TelemetryTracer.forTesting(sampler: AlwaysOffSampler())
        let root = tracer.startSpan("healthcheck", context: .topLevel)
        let rootContext = try #require(root.spanContext)
        #expect(rootContext.isValid)
        #expect(rootContext.parentSpanID == nil)
        #expect(!rootContext.isSampled)
        #expect(rootContext.traceFlags.contains(.random))
        #expect(try traceparent(of: root, tracer)[3] == "02")

        let child = tracer.startSpan("child", context: root.context)
        let childContext = try #require(child.spanContext)
        #expect(childContext.traceID == rootContext.traceID)
        #expect(childContext.parentSpanID == rootContext.spanID)
        #expect(childContext.spanID != rootContext.spanID)
        child.end()
        root.end()
        #expect(processor.spans.isEmpty)
    }

    @Test func aNonRecordingSpanKeepsTheParentsOtherContextEntries() throws {
        let (tracer, _) = TelemetryTracer.forTesting(sampler: ParentBasedSampler(root: AlwaysOnSampler()))
        var incoming = ServiceContext.topLevel
        tracer.extract(
            ["traceparent": "00-\(Self.incomingTraceID)-\(Self.incomingSpanID)-00", "baggage": "tenant=acme"],
            into: &incoming,
            using: DictionaryExtractor()
        )
        let child = tracer.startSpan("child", context: incoming)
        #expect(child.context.baggage?["tenant"] == "acme")
        // Reading the context does not change the parent's.
        #expect(incoming.spanContext?.spanID.hexString == Self.incomingSpanID)
        #expect(child.context.spanContext?.spanID == child.spanContext?.spanID)
        // A non-recording span is never the active span.
        #expect(tracer.activeSpan(identifiedBy: child.context) == nil)
    }
}

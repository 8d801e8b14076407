import TelemetryCore
import TelemetryTesting
import Testing
import Tracing

@testable import TelemetryTracing

@Suite struct TelemetryTracerTests {
    private func at(_ nanos: UInt64) -> DefaultTracerClock.Timestamp {
        DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: nanos)
    }

    @Test func recordsEverythingASpanCarries() throws {
        let (tracer, processor) = TelemetryTracer.forTesting(idGenerator: ConstantIDGenerator())
        let linked = SpanContext(traceID: TraceID(high: 5, low: 6), spanID: SpanID(7), traceFlags: .sampled)
        var linkContext = ServiceContext.topLevel
        linkContext.spanContext = linked

        let span = tracer.startSpan("GET /users", context: .topLevel, ofKind: .server, at: at(1_000))
        span.attributes["http.method"] = "GET"
        span.attributes["http.status_code"] = 200
        span.attributes["ratio"] = 0.5
        span.attributes["cached"] = true
        span.attributes["tags"] = ["a", "b"]
        span.attributes["ids"] = [1, 2, 3]
        span.attributes.set("int32", value: .int32(7))
        span.attributes.set("int32s", value: .int32Array([1, 2]))
        span.attributes.set("doubles", value: .doubleArray([1.5]))
        span.attributes.set("bools", value: .boolArray([true, false]))
        span.attributes.set("convertible", value: .stringConvertible(42))
        span.attributes.set("words", value: .stringConvertible(Character("w")))
        span.addEvent(Tracing.SpanEvent(name: "cache.miss", at: at(1_500), attributes: ["key": "u1"]))
        span.addLink(Tracing.SpanLink(context: linkContext, attributes: ["why": "batch"]))
        span.setStatus(.init(code: .error, message: "boom"))
        span.end(at: at(2_000))

        let data = try #require(processor.spans.first)
        #expect(processor.spans.count == 1)
        #expect(data.name == "GET /users")
        #expect(data.kind == .server)
        #expect(data.traceID == ConstantIDGenerator().traceID)
        #expect(data.spanID == ConstantIDGenerator().spanID)
        #expect(data.parentSpanID == nil)
        #expect(data.traceFlags.contains(.sampled))
        #expect(data.startTimeNanos == 1_000)
        #expect(data.endTimeNanos == 2_000)
        #expect(data.attributes["http.method"] == "GET")
        #expect(data.attributes["http.status_code"] == .int(200))
        #expect(data.attributes["ratio"] == .double(0.5))
        #expect(data.attributes["cached"] == .bool(true))
        #expect(data.attributes["tags"] == .stringArray(["a", "b"]))
        #expect(data.attributes["ids"] == .intArray([1, 2, 3]))
        #expect(data.attributes["int32"] == .int(7))
        #expect(data.attributes["int32s"] == .intArray([1, 2]))
        #expect(data.attributes["doubles"] == .doubleArray([1.5]))
        #expect(data.attributes["bools"] == .boolArray([true, false]))
        #expect(data.attributes["convertible"] == .int(42))
        #expect(data.attributes["words"] == "w")
        #expect(data.events == [TelemetrySpanEvent(name: "cache.miss", timeNanos: 1_500, attributes: ["key": "u1"])])
        #expect(data.links.map(\.context.spanID) == [SpanID(7)])
        #expect(data.links.first?.attributes["why"] == "batch")
        #expect(data.status == .error(description: "boom"))
        #expect(data.resource.serviceName == "test-service")
        #expect(data.scope.name == "swift-telemetry")
    }

    @Test func endIsIdempotentAndFreezesTheSpan() {
        let (tracer, processor) = TelemetryTracer.forTesting()
        let span = tracer.startSpan("once", context: .topLevel, at: at(10))
        #expect(span.isRecording)
        span.end(at: at(20))
        span.attributes["late"] = "ignored"
        span.operationName = "renamed"
        span.end(at: at(30))
        #expect(!span.isRecording)
        #expect(processor.spans.count == 1)
        #expect(processor.spans.first?.endTimeNanos == 20)
        #expect(processor.spans.first?.attributes["late"] == nil)
        #expect(processor.spans.first?.name == "once")
    }

    @Test func recordErrorAddsExceptionEvent() throws {
        let (tracer, processor) = TelemetryTracer.forTesting()
        let span = tracer.startSpan("query", context: .topLevel, at: at(1))
        span.recordError(TestError(), attributes: ["db.system": "postgresql"], at: at(5))
        span.end(at: at(9))
        let event = try #require(processor.spans.first?.events.first)
        #expect(event.name == "exception")
        #expect(event.timeNanos == 5)
        #expect(event.attributes["exception.message"] == "the database is on fire")
        #expect(event.attributes["exception.type"]?.stringValue?.hasSuffix("TestError") == true)
        #expect(event.attributes["db.system"] == "postgresql")
        #expect(processor.spans.first?.status == .unset)
    }

    @Test func statusOkIsFinal() {
        let (tracer, processor) = TelemetryTracer.forTesting()
        let span = tracer.startSpan("s", context: .topLevel)
        span.setStatus(.init(code: .ok))
        span.setStatus(.init(code: .error, message: "late"))
        span.end()
        #expect(processor.spans.first?.status == .ok)
    }

    @Test func withSpanNestsAndRecordsThrownErrors() throws {
        let (tracer, processor) = TelemetryTracer.forTesting()
        #expect(throws: TestError.self) {
            try tracer.withSpan("outer") { outer in
                try tracer.withSpan("inner") { inner in
                    #expect(inner.spanContext?.traceID == outer.spanContext?.traceID)
                    throw TestError()
                }
            }
        }
        let spans = processor.spans
        #expect(spans.map(\.name) == ["inner", "outer"])
        let inner = spans[0]
        let outer = spans[1]
        #expect(inner.parentSpanID == outer.spanID)
        #expect(outer.parentSpanID == nil)
        #expect(inner.traceID == outer.traceID)
        #expect(inner.status.isError)
        #expect(inner.events.first?.name == "exception")
    }

    @Test func limitsDropAndCount() throws {
        let limits = SpanLimits(
            attributeCountLimit: 2, attributeValueLengthLimit: 3, eventCountLimit: 1, linkCountLimit: 1,
            attributePerEventCountLimit: 1
        )
        let (tracer, processor) = TelemetryTracer.forTesting(limits: limits)
        var linkContext = ServiceContext.topLevel
        linkContext.spanContext = SpanContext(traceID: TraceID(high: 1, low: 1), spanID: SpanID(1))
        let span = tracer.startSpan("limited", context: .topLevel)
        span.attributes["a"] = "abcdef"
        span.attributes["b"] = "b"
        span.attributes["c"] = "c"
        span.addEvent(Tracing.SpanEvent(name: "e1", attributes: ["x": 1, "y": 2]))
        span.addEvent("e2")
        span.addLink(Tracing.SpanLink(context: linkContext, attributes: [:]))
        span.addLink(Tracing.SpanLink(context: linkContext, attributes: [:]))
        span.end()
        let data = try #require(processor.spans.first)
        #expect(data.attributes.count == 2)
        #expect(data.droppedAttributesCount == 1)
        #expect(data.attributes.allSatisfy { ($0.value.stringValue?.count ?? 0) <= 3 })
        #expect(data.events.count == 1)
        #expect(data.droppedEventsCount == 1)
        #expect(data.events[0].attributes.count == 1)
        #expect(data.events[0].droppedAttributesCount == 1)
        #expect(data.links.count == 1)
        #expect(data.droppedLinksCount == 1)
    }

    @Test func unsampledSpansAreNonRecordingAndNotProcessed() {
        let (tracer, processor) = TelemetryTracer.forTesting(sampler: AlwaysOffSampler())
        let root = tracer.startSpan("root", context: .topLevel)
        #expect(!root.isRecording)
        root.attributes["k"] = "v"
        #expect(root.attributes.isEmpty)
        let rootContext = root.spanContext
        #expect(rootContext?.isValid == true)
        #expect(rootContext?.isSampled == false)
        let child = tracer.startSpan("child", context: root.context)
        #expect(!child.isRecording)
        #expect(child.spanContext?.traceID == rootContext?.traceID)
        child.end()
        root.end()
        #expect(processor.spans.isEmpty)
        #expect(tracer.activeSpan(identifiedBy: root.context) == nil)
    }

    @Test func parentBasedFollowsTheParent() {
        let (tracer, processor) = TelemetryTracer.forTesting(sampler: ParentBasedSampler(root: AlwaysOnSampler()))
        for sampled in [true, false] {
            var incoming = ServiceContext.topLevel
            incoming.spanContext = SpanContext(
                traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), traceFlags: sampled ? .sampled : [], isRemote: true
            )
            for _ in 0..<100 {
                let span = tracer.startSpan("child", context: incoming)
                #expect(span.isRecording == sampled)
                #expect(span.spanContext?.isSampled == sampled)
                span.end()
            }
        }
        #expect(processor.spans.count == 100)
        #expect(processor.spans.allSatisfy { $0.parentSpanID == SpanID(3) && $0.traceID == TraceID(high: 1, low: 2) })
    }

    @Test func customDelegateForUnsampledParentsIsStillConsulted() {
        let sampler = ParentBasedSampler(root: AlwaysOnSampler(), remoteParentNotSampled: AlwaysOnSampler())
        let (tracer, processor) = TelemetryTracer.forTesting(sampler: sampler)
        var incoming = ServiceContext.topLevel
        incoming.spanContext = SpanContext(traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), traceFlags: [], isRemote: true)
        let span = tracer.startSpan("upsampled", context: incoming)
        #expect(span.isRecording)
        span.end()
        #expect(processor.spans.count == 1)
    }

    @Test func ratioSampledRootsCarryThresholdToChildren() throws {
        let (tracer, processor) = TelemetryTracer.forTesting(sampler: ParentBasedSampler(root: TraceIDRatioSampler(probability: 0.25)))
        var recorded = 0
        for _ in 0..<2000 {
            let root = tracer.startSpan("root", context: .topLevel)
            if root.isRecording {
                recorded += 1
                let child = tracer.startSpan("child", context: root.context)
                #expect(child.isRecording)
                child.end()
            }
            root.end()
        }
        #expect(recorded > 300 && recorded < 700)
        #expect(processor.spans.count == recorded * 2)
        #expect(processor.spans.allSatisfy { $0.traceState["ot"] == "th:c" && $0.adjustedCount == 4 })
        #expect(processor.spans.allSatisfy { $0.traceFlags.contains(.random) })
    }

    @Test func activeSpanFindsTheRecordingSpan() {
        let (tracer, _) = TelemetryTracer.forTesting()
        let span = tracer.startSpan("active", context: .topLevel)
        let found = tracer.activeSpan(identifiedBy: span.context)
        #expect(found?.spanContext == span.spanContext)
        span.end()
        #expect(tracer.activeSpan(identifiedBy: span.context) == nil)
    }

    @Test func concurrentSpanCreationIsSafe() async {
        let (tracer, processor) = TelemetryTracer.forTesting()
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<50 {
                group.addTask {
                    for i in 0..<200 {
                        tracer.withSpan("task-\(task)") { span in
                            span.attributes["i"] = i
                            tracer.withSpan("child") { child in child.attributes["task"] = task }
                        }
                    }
                }
            }
        }
        let spans = processor.spans
        #expect(spans.count == 50 * 200 * 2)
        #expect(Set(spans.map(\.spanID)).count == spans.count)
        let byID = Dictionary(uniqueKeysWithValues: spans.map { ($0.spanID, $0) })
        for child in spans where child.name == "child" {
            let parent = byID[child.parentSpanID ?? .invalid]
            #expect(parent?.traceID == child.traceID)
            #expect(parent?.name == "task-\(child.attributes["task"]?.intValue ?? -1)")
        }
    }

    @Test func concurrentMutationOfOneSpanLosesNothing() async throws {
        let (tracer, processor) = TelemetryTracer.forTesting()
        let span = tracer.startSpan("shared", context: .topLevel)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<20 {
                group.addTask {
                    for i in 0..<5 { span.attributes["k\(task)-\(i)"] = i }
                    span.addEvent(Tracing.SpanEvent(name: "e\(task)"))
                }
            }
        }
        span.end()
        let data = try #require(processor.spans.first)
        #expect(data.attributes.count == 100)
        #expect(data.events.count == 20)
    }
}

import Foundation
import TelemetryCore
import Testing

@testable import TelemetryPipeline

@Suite("sampling")
struct SamplingTests {
    @Test("probabilistic sampling keeps exactly the traces whose randomness clears the threshold and records th")
    func probabilisticKeepsConsistently() {
        let sampler = ProbabilisticSampler(configuration: .init(samplingPercentage: 25))
        let threshold = SamplingThreshold(probability: 0.25)!
        let spans = (0..<400).map { i in Spans.make(traceLow: UInt64(i) &* 0x9E37_79B9_7F4A_7C15, spanID: UInt64(i + 1)) }
        let kept = sampler.process(spans, now: 0)
        let expected = spans.filter { threshold.shouldSample(randomness: $0.traceID.low) }
        #expect(kept.map(\.spanID) == expected.map(\.spanID))
        #expect(kept.count > 50 && kept.count < 150)
        #expect(kept.allSatisfy { abs($0.adjustedCount - 4) < 1e-9 })
        #expect(kept.first?.traceState["ot"] == "th:c")
    }

    @Test("a span sampled upstream at a lower rate keeps its stricter threshold")
    func keepsStricterUpstreamThreshold() {
        let sampler = ProbabilisticSampler(configuration: .init(samplingPercentage: 50))
        let upstream = Spans.sampled(at: 0.1)
        let span = Spans.make(traceLow: 0x00FF_FFFF_FFFF_FFFF, traceState: upstream)
        let kept = sampler.process([span], now: 0)
        #expect(kept.count == 1)
        // th carries limited precision, so 10% comes back as very nearly 10.
        #expect(abs((kept.first?.adjustedCount ?? 0) - 10) < 1e-3)
    }

    @Test("tail sampling keeps error and slow traces after decision_wait, drops the rest")
    func tailSampling() {
        let wait: UInt64 = 5_000_000_000
        let processor = TailSamplingProcessor(
            configuration: .init(decisionWait: .seconds(5), numTraces: 100, policies: [.errors, .latency(.milliseconds(500))]))
        let spans = [
            Spans.make(traceLow: 1, spanID: 1),
            Spans.make(traceLow: 1, spanID: 2, parent: 1, status: .error(description: nil)),
            Spans.make(traceLow: 2, spanID: 3, durationMillis: 800),
            Spans.make(traceLow: 3, spanID: 4, durationMillis: 20),
        ]
        #expect(processor.process(spans, now: 0).isEmpty)
        #expect(processor.tick(now: wait - 1).isEmpty)
        let released = processor.tick(now: wait)
        #expect(Set(released.map(\.spanID.rawValue)) == [1, 2, 3])
        // A late span of a kept trace follows the decision; of a dropped one, too.
        #expect(processor.process([Spans.make(traceLow: 1, spanID: 9)], now: wait + 1).count == 1)
        #expect(processor.process([Spans.make(traceLow: 3, spanID: 10)], now: wait + 1).isEmpty)
    }

    @Test("tail sampling by string attribute, numeric attribute, status codes and an and of policies")
    func tailSamplingAttributePolicies() {
        let premium = Spans.make(traceLow: 1, spanID: 1, attributes: ["customer.tier": "premium"])
        let free = Spans.make(traceLow: 2, spanID: 2, attributes: ["customer.tier": "free"])
        let slowPremium = Spans.make(traceLow: 3, spanID: 3, durationMillis: 900, attributes: ["customer.tier": "premium"])
        let notFound = Spans.make(traceLow: 4, spanID: 4, attributes: ["http.response.status_code": 404])
        let serverError = Spans.make(traceLow: 5, spanID: 5, status: .ok, attributes: ["http.response.status_code": 503])
        let all = [premium, free, slowPremium, notFound, serverError]
        func kept(_ policies: [TailSamplingProcessor.Policy]) -> Set<UInt64> {
            let processor = TailSamplingProcessor(configuration: .init(decisionWait: .seconds(1), numTraces: 100, policies: policies))
            _ = processor.process(all, now: 0)
            return Set(processor.tick(now: 1_000_000_000).map(\.spanID.rawValue))
        }
        #expect(kept([.stringAttribute(key: "customer.tier", values: ["premium", "gold"], invert: false)]) == [1, 3])
        #expect(kept([.stringAttribute(key: "customer.tier", values: ["premium"], invert: true)]) == [2, 4, 5])
        // A resource attribute counts like a span attribute.
        #expect(kept([.stringAttribute(key: "service.name", values: ["user-service"], invert: false)]) == [1, 2, 3, 4, 5])
        #expect(kept([.numericAttribute(key: "http.response.status_code", min: 500, max: 599)]) == [5])
        #expect(kept([.statusCodes([.ok])]) == [5])
        #expect(kept([.and([.stringAttribute(key: "customer.tier", values: ["premium"], invert: false), .latency(.milliseconds(500))])]) == [3])
        #expect(kept([.and([])]).isEmpty)
    }

    @Test("tail sampling policies parse from Collector-shaped YAML, and mistakes name the key")
    func tailSamplingPoliciesParse() throws {
        let yaml = """
            receivers: {otlp: {protocols: {http: {endpoint: "127.0.0.1:0"}}}}
            processors:
              tail_sampling:
                decision_wait: 2s
                policies:
                  - {name: errors, type: status_code, status_code: {status_codes: [ERROR, UNSET]}}
                  - {name: tier, type: string_attribute, string_attribute: {key: customer.tier, values: [premium], invert_match: false}}
                  - {name: server-errors, type: numeric_attribute, numeric_attribute: {key: http.response.status_code, min_value: 500, max_value: 599}}
                  - name: slow-premium
                    type: and
                    and:
                      and_sub_policy:
                        - {name: tier, type: string_attribute, string_attribute: {key: customer.tier, values: [premium]}}
                        - {name: slow, type: latency, latency: {threshold_ms: 250}}
            exporters: {debug: {}}
            service: {pipelines: {traces: {receivers: [otlp], processors: [tail_sampling], exporters: [debug]}}}
            """
        let configuration = try PipelineConfiguration.parse(yaml: yaml, file: "tail.yaml")
        guard case .tailSampling(let settings) = configuration.processors[ComponentID("tail_sampling")] else {
            Issue.record("tail_sampling did not parse")
            return
        }
        #expect(settings.decisionWait == .seconds(2))
        #expect(
            settings.policies == [
                .statusCodes([.error, .unset]),
                .stringAttribute(key: "customer.tier", values: ["premium"], invert: false),
                .numericAttribute(key: "http.response.status_code", min: 500, max: 599),
                .and([.stringAttribute(key: "customer.tier", values: ["premium"], invert: false), .latency(.milliseconds(250))]),
            ])
        let missingValues = yaml.replacingOccurrences(
            of: "string_attribute: {key: customer.tier, values: [premium], invert_match: false}", with: "string_attribute: {key: customer.tier}")
        #expect(throws: PipelineConfigurationError.self) { try PipelineConfiguration.parse(yaml: missingValues, file: "tail.yaml") }
        let badCode = yaml.replacingOccurrences(of: "[ERROR, UNSET]", with: "[FAILED]")
        do {
            _ = try PipelineConfiguration.parse(yaml: badCode, file: "tail.yaml")
            Issue.record("an unknown status code was accepted")
        } catch {
            #expect(String(describing: error).contains("FAILED"))
        }
    }

    @Test("tail sampling releases held traces on drain")
    func tailSamplingDrains() {
        let processor = TailSamplingProcessor(configuration: .init(decisionWait: .seconds(30), numTraces: 100, policies: [.always]))
        _ = processor.process([Spans.make(traceLow: 7)], now: 0)
        #expect(processor.drain().count == 1)
    }

    @Test("batch sends when full and after the timeout, and drains the rest")
    func batching() {
        let batch = BatchProcessor(configuration: .init(sendBatchSize: 3, sendBatchMaxSize: 0, timeout: .milliseconds(200)))
        #expect(batch.process([Spans.make(spanID: 1), Spans.make(spanID: 2)], now: 0).isEmpty)
        #expect(batch.process([Spans.make(spanID: 3), Spans.make(spanID: 4)], now: 1).count == 4)
        #expect(batch.process([Spans.make(spanID: 5)], now: 10).isEmpty)
        #expect(batch.tick(now: 10 + 199_999_999).isEmpty)
        #expect(batch.tick(now: 10 + 200_000_000).count == 1)
        _ = batch.process([Spans.make(spanID: 6)], now: 500_000_000)
        #expect(batch.drain().count == 1)
    }

    @Test("attributes insert, update, delete and hash (SHA-256 hex)")
    func attributes() {
        let processor = AttributesProcessor(
            configuration: .init(actions: [
                .init(key: "env", kind: .insert, value: "prod"),
                .init(key: "http.route", kind: .update, value: "/redacted"),
                .init(key: "password", kind: .delete),
                .init(key: "user.email", kind: .hash),
            ]))
        let span = Spans.make(attributes: ["password": "hunter2", "user.email": "abc", "http.route": "/users/42"])
        let out = processor.process([span], now: 0)[0]
        #expect(out.attributes["env"] == "prod")
        #expect(out.attributes["http.route"] == "/redacted")
        #expect(out.attributes["password"] == nil)
        #expect(out.attributes["user.email"] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

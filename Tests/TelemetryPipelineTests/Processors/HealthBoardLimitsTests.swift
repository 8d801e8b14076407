import CircuitBreakers
import TelemetryCore
import Testing

@testable import TelemetryPipeline

@Suite("health board limits")
struct HealthBoardLimitsTests {
    static let second: UInt64 = 1_000_000_000

    static func spans(services: Range<Int>, errors: Bool = false) -> [TelemetrySpanData] {
        services.map { index in
            Spans.make(service: "svc-\(index)", spanID: UInt64(index + 1), status: errors ? .error(description: "HTTP 500") : .unset)
        }
    }

    @Test("services beyond max_services share one overflow entry whose span count is exact")
    func overflowEntry() {
        let registry = MetricRegistry()
        let board = HealthBoard(configuration: .init(maxServices: 10))
        let processor = HealthProcessor(board: board, breakers: BreakerBoard(), registry: registry)
        _ = processor.process(Self.spans(services: 0..<25), now: 100 * Self.second)
        let picture = board.snapshot()
        #expect(picture.count == 11)
        let overflow = picture.first { $0.isOverflow }
        #expect(overflow?.service == HealthBoard.overflowService)
        #expect(overflow?.requests == 15)
        #expect(picture.reduce(0) { $0 + $1.requests } == 25)
        let gauge = registry.lookup("service_health_status")
        #expect(gauge?.snapshot().count == 10)
        #expect(gauge?.overflowValue() == 0)
        #expect(registry.render().contains("service_health_status{otel_metric_overflow=\"true\"} 0\n"))
        #expect(!registry.render().contains("service=\"otel_metric_overflow\""))
    }

    @Test("the overflow entry has a status of its own: failing overflow services make it unhealthy")
    func overflowStatus() {
        let registry = MetricRegistry()
        let board = HealthBoard(configuration: .init(maxServices: 2))
        let processor = HealthProcessor(board: board, breakers: BreakerBoard(), registry: registry)
        _ = processor.process(Self.spans(services: 0..<2) + Self.spans(services: 2..<6, errors: true), now: 100 * Self.second)
        #expect(board.snapshot().first { $0.isOverflow }?.status == .unhealthy)
        #expect(registry.lookup("service_health_status")?.overflowValue() == 2)
    }

    @Test("a service idle past service_expiration leaves the board and the gauge, making room for a new one")
    func idleServicesExpire() {
        let registry = MetricRegistry()
        let board = HealthBoard(configuration: .init(maxServices: 2, serviceExpiration: .seconds(300)))
        let processor = HealthProcessor(board: board, breakers: BreakerBoard(), registry: registry)
        _ = processor.process(Self.spans(services: 0..<1), now: 100 * Self.second)
        _ = processor.process(Self.spans(services: 1..<2), now: 350 * Self.second)
        _ = processor.tick(now: 399 * Self.second)
        #expect(board.snapshot().map(\.service) == ["svc-0", "svc-1"])
        _ = processor.tick(now: 401 * Self.second)
        #expect(board.snapshot().map(\.service) == ["svc-1"])
        let gauge = registry.lookup("service_health_status")
        #expect(gauge?.value(["svc-0"]) == nil)
        #expect(gauge?.value(["svc-1"]) == 0)
        _ = processor.process(Self.spans(services: 2..<3), now: 402 * Self.second)
        #expect(board.snapshot().map(\.service) == ["svc-1", "svc-2"])
        #expect(board.snapshot().allSatisfy { !$0.isOverflow })
    }

    @Test("defaults: 1000 services, idle ones leave after 15 minutes")
    func defaults() {
        #expect(HealthBoard.Configuration.default.maxServices == 1_000)
        #expect(HealthBoard.Configuration.default.serviceExpiration == .seconds(900))
    }
}

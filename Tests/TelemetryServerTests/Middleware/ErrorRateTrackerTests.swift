import Testing

@testable import TelemetryServer

@Suite struct ErrorRateTrackerTests {
    func rate(_ rates: [(type: String, rate: Double)], _ type: String) -> Double? {
        rates.first { $0.type == type }?.rate
    }

    @Test func ratesAreSharesOfRequestsInTheWindow() {
        let tracker = ErrorRateTracker(window: .seconds(60), slots: 6)
        for _ in 0..<8 { _ = tracker.record(errorType: nil, at: .seconds(1)) }
        _ = tracker.record(errorType: "timeout", at: .seconds(2))
        let rates = tracker.record(errorType: "internal", at: .seconds(3))
        #expect(rate(rates, "timeout") == 0.1)
        #expect(rate(rates, "internal") == 0.1)
    }

    @Test func oldTrafficLeavesTheWindow() {
        let tracker = ErrorRateTracker(window: .seconds(60), slots: 6)
        _ = tracker.record(errorType: "timeout", at: .seconds(1))
        let later = tracker.record(errorType: nil, at: .seconds(125))
        #expect(rate(later, "timeout") == 0)
    }

    @Test func statusesMapToTheSeedsTypes() {
        #expect(HTTPErrorCategory.type(forStatus: 200) == nil)
        #expect(HTTPErrorCategory.type(forStatus: 302) == nil)
        #expect(HTTPErrorCategory.type(forStatus: 400) == "validation")
        #expect(HTTPErrorCategory.type(forStatus: 401) == "authentication")
        #expect(HTTPErrorCategory.type(forStatus: 403) == "authorization")
        #expect(HTTPErrorCategory.type(forStatus: 404) == "not_found")
        #expect(HTTPErrorCategory.type(forStatus: 429) == "rate_limit")
        #expect(HTTPErrorCategory.type(forStatus: 503) == "service_unavailable")
        #expect(HTTPErrorCategory.type(forStatus: 504) == "timeout")
        #expect(HTTPErrorCategory.type(forStatus: 500) == "internal")
    }
}

import TelemetryTesting
import Testing

@testable import TelemetryDemo

@Suite("chaos switch")
struct ChaosSwitchTests {
    @Test("mixed chaos rotates its faults and ends on time")
    func mixedRotationAndExpiry() {
        let clock = TestClock()
        let chaos = ChaosSwitch(stall: .seconds(2), clock: clock)
        #expect(chaos.nextFault() == nil)
        chaos.start(.mixed, for: .seconds(10))
        #expect((0..<4).map { _ in chaos.nextFault() } == [.fail, .stall, .fail, .database])
        #expect(chaos.status.active)
        clock.advance(by: .seconds(10))
        #expect(chaos.nextFault() == nil)
        #expect(!chaos.status.active)
    }

    @Test("stop ends chaos at once")
    func stop() {
        let chaos = ChaosSwitch(clock: TestClock())
        chaos.start(.fail, for: .seconds(60))
        #expect(chaos.nextFault() == .fail)
        chaos.stop()
        #expect(chaos.nextFault() == nil)
    }
}

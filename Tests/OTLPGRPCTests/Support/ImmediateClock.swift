import Synchronization
import TelemetryTesting

/// A clock whose sleeps return at once, moving its time forward and remembering each wait,
/// so retry delays are asserted exactly and the tests never wait.
final class ImmediateClock: Clock, Sendable {
    typealias Instant = TestClock.Instant

    private let state = Mutex((now: Instant(offset: .zero), sleeps: [Duration]()))
    private let beforeEachSleep = Mutex<(@Sendable () async -> Void)?>(nil)

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .zero }
    /// Every wait asked for, in order.
    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    /// Runs `action` at the start of every sleep: what happens while a retry waits.
    func whileSleeping(_ action: @escaping @Sendable () async -> Void) {
        beforeEachSleep.withLock { $0 = action }
    }

    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        if let action = beforeEachSleep.withLock({ $0 }) { await action() }
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(state.now.duration(to: deadline))
            if state.now < deadline { state.now = deadline }
        }
    }
}

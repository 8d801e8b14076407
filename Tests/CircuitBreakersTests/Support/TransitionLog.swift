import CircuitBreakers
import Synchronization

final class TransitionLog: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ entry: String) { storage.withLock { $0.append(entry) } }
    var entries: [String] { storage.withLock { $0 } }
}

final class BreakerBox: Sendable {
    private let storage = Mutex<CircuitBreaker?>(nil)
    var breaker: CircuitBreaker? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

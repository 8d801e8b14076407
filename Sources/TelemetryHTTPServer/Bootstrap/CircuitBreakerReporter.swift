import CircuitBreakers
import ServiceLifecycle

/// Reports the state of every breaker in its registries at a fixed interval, so the pipeline
/// keeps a quiet breaker current and does not mark it stale.
///
/// Each report is one small `circuit_breaker.report` span per breaker, recorded whatever the
/// sampler decides (see ``CircuitBreaker/reportState()``). Transitions are reported as they
/// happen; this only refreshes. The first report goes out at start.
///
/// ```swift
/// // For a registry made outside `ServiceTelemetry`, whose own registry is reported already:
/// let group = ServiceGroup(services: [telemetry, CircuitBreakerReporter(registries: [breakers]), app], …)
/// ```
public struct CircuitBreakerReporter: Service {
    /// The default interval: 30 s, a quarter of the pipeline's default `stale_after` (2m).
    public static let defaultInterval: Duration = .seconds(30)

    let registries: [CircuitBreakerRegistry]
    let interval: Duration

    /// Reports every breaker of `registries` every `interval` (at least one second).
    public init(registries: [CircuitBreakerRegistry], interval: Duration = Self.defaultInterval) {
        self.registries = registries
        self.interval = max(interval, .seconds(1))
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                for registry in registries { registry.reportStates() }
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }
}

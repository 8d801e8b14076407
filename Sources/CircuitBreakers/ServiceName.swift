import Foundation

/// The `service` label for breakers created without one.
enum ServiceName {
    static let fromEnvironment: String = {
        let environment = ProcessInfo.processInfo.environment
        if let name = environment["OTEL_SERVICE_NAME"], !name.isEmpty { return name }
        return "unknown_service"
    }()
}

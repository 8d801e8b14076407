import ServiceLifecycle

/// What bootstrap returns when tracing is disabled: runs until graceful shutdown, does nothing.
struct IdleService: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }
}

import Hummingbird

/// Applies the chaos switch's faults to the user API: 503s, stalls, or real database errors.
struct ChaosMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let chaos: ChaosSwitch
    let store: any UserStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch chaos.nextFault() {
        case nil, .mixed?:
            return try await next(request, context)
        case .fail?:
            throw DemoError.unavailable("user-service is failing on purpose (chaos)")
        case .stall?:
            try await Task.sleep(for: chaos.stall)
            return try await next(request, context)
        case .database?:
            try await UserService.database { try await store.failingQuery() }
            return try await next(request, context)
        }
    }
}

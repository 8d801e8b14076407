import ErrorAggregation
import HTTPTypes
import Hummingbird

/// The error-aggregation endpoints in the seed's gateway naming, mountable on any router.
///
/// - `GET errors/stats`: totals and rates by service, type and severity, firing alerts.
/// - `GET errors/details?service=&type=&limit=`: error groups, newest first.
///
/// Mounted at `/monitoring` by default: `/monitoring/errors/stats`, `/monitoring/errors/details`.
public struct ErrorRoutes<Context: RequestContext>: Sendable {
    /// Largest `limit` accepted by the details endpoint.
    public static var maximumLimit: Int { 1000 }

    /// The aggregator served.
    public let aggregator: ErrorAggregator

    /// Creates the routes.
    public init(aggregator: ErrorAggregator) {
        self.aggregator = aggregator
    }

    /// The routes as a collection, relative to the mount point.
    public var routes: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("errors/stats") { _, _ in JSONResponse(aggregator.stats()) }
        routes.get("errors/details") { request, _ in try details(request) }
        return routes
    }

    /// Adds the routes to `router` under `path` (default `/monitoring`).
    public func addRoutes(to router: some RouterMethods<Context>, atPath path: RouterPath = "/monitoring") {
        router.addRoutes(routes, atPath: path)
    }

    private func details(_ request: Request) throws -> JSONResponse<ErrorDetailsSnapshot> {
        let query = request.uri.queryParameters
        let service = query["service"].map(String.init)
        var type: ErrorType?
        if let raw = query["type"] {
            guard let parsed = ErrorType(rawValue: String(raw)) else {
                let known = ErrorType.allCases.map(\.rawValue).joined(separator: ", ")
                throw HTTPError(.badRequest, message: "unknown type '\(raw)'; expected one of \(known)")
            }
            type = parsed
        }
        var limit = 50
        if let raw = query["limit"] {
            guard let parsed = Int(raw), (1...Self.maximumLimit).contains(parsed) else {
                throw HTTPError(.badRequest, message: "limit must be a whole number from 1 to \(Self.maximumLimit), not '\(raw)'")
            }
            limit = parsed
        }
        return JSONResponse(aggregator.details(service: service, type: type, limit: limit))
    }
}

import ErrorAggregation
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TelemetryHTTPServer

/// An error a demo service answers with: an HTTP status, a JSON body naming the seed's error
/// type, and that type for the error aggregator (so a breaker rejection answered 503 counts
/// as `circuit_breaker`, not `service_unavailable`).
public struct DemoError: HTTPResponseError, ClassifiableError, CustomStringConvertible {
    private enum Code: Hashable {
        case validation, conflict, unauthenticated, forbidden, notFound, unavailable, timeout, circuitOpen, upstream, internalFailure
    }

    private let code: Code
    /// The HTTP status answered.
    public let status: HTTPResponse.Status
    /// What happened, naming the input or downstream involved.
    public let message: String
    /// The seed's error type of this failure.
    public let errorType: ErrorType

    private init(_ code: Code, _ status: HTTPResponse.Status, _ type: ErrorType, _ message: String) {
        self.code = code
        self.status = status
        self.errorType = type
        self.message = message
    }

    /// 400: the request's input is invalid.
    public static func validation(_ message: String) -> Self { Self(.validation, .badRequest, .validation, message) }
    /// 409: the input collides with stored data (a taken e-mail); a validation error.
    public static func conflict(_ message: String) -> Self { Self(.conflict, .conflict, .validation, message) }
    /// 401: no or an unknown credential.
    public static func unauthenticated(_ message: String) -> Self { Self(.unauthenticated, .unauthorized, .authentication, message) }
    /// 403: a valid credential without the needed role.
    public static func forbidden(_ message: String) -> Self { Self(.forbidden, .forbidden, .authorization, message) }
    /// 404: no such resource.
    public static func notFound(_ message: String) -> Self { Self(.notFound, .notFound, .notFound, message) }
    /// 503: the service or a downstream cannot serve now.
    public static func unavailable(_ message: String) -> Self { Self(.unavailable, .serviceUnavailable, .serviceUnavailable, message) }
    /// 504: a downstream did not answer in time.
    public static func timeout(_ message: String) -> Self { Self(.timeout, .gatewayTimeout, .timeout, message) }
    /// 503: the breaker in front of `downstream` rejected the call.
    public static func circuitOpen(_ downstream: String, _ detail: String) -> Self {
        Self(.circuitOpen, .serviceUnavailable, .circuitBreaker, "circuit breaker to \(downstream) rejected the call: \(detail)")
    }
    /// A downstream's 5xx, passed on with its status.
    public static func upstream(_ downstream: String, status: Int, body: String) -> Self {
        let httpStatus = HTTPResponse.Status(code: status)
        return Self(.upstream, httpStatus, ErrorClassifier.classify(statusCode: status) ?? .internal, "\(downstream) answered \(status): \(body)")
    }
    /// 500: the service itself failed.
    public static func internalFailure(_ message: String) -> Self { Self(.internalFailure, .internalServerError, .internal, message) }

    public var description: String { message }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse(["error": message, "type": errorType.rawValue], status: status, sortingKeys: true).response
    }
}

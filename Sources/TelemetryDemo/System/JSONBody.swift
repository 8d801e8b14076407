import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TelemetryHTTPServer

/// JSON bodies with ISO 8601 dates and sorted keys, the way every demo service answers and
/// reads them.
enum JSONBody {
    static func response(_ value: some Encodable & Sendable, status: HTTPResponse.Status = .ok) -> Response {
        JSONResponse(value, status: status, sortingKeys: true).response
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: some Sequence<UInt8>) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(bytes))
    }

    /// The request body decoded as `type`, or a 400 naming what was expected.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, expected: String) async throws -> T {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        do {
            return try decode(type, from: buffer.readableBytesView)
        } catch {
            throw DemoError.validation("the body must be JSON \(expected)")
        }
    }
}

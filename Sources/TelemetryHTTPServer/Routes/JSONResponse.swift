import Hummingbird
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An `Encodable` value as a JSON response: how the SDK's endpoints, the demo services and the
/// pipeline's monitoring API all answer in JSON.
///
/// Snapshots served this way come from modules that do not depend on Hummingbird, so they
/// cannot be responses themselves. Keys keep the order the value encodes them in (a struct's
/// declaration order, the seed's order where it shows one), unless `sortingKeys` is set for a
/// value holding dictionaries; dates are ISO 8601 and slashes are not escaped.
public struct JSONResponse<Body: Encodable & Sendable>: ResponseGenerator, Sendable {
    /// The value encoded as the body.
    public var body: Body
    /// The response's status. Default 200.
    public var status: HTTPResponse.Status
    /// Whether object keys are sorted, for values whose dictionaries have no order of their own.
    public var sortingKeys: Bool

    /// Creates a response.
    public init(_ body: Body, status: HTTPResponse.Status = .ok, sortingKeys: Bool = false) {
        self.body = body
        self.status = status
        self.sortingKeys = sortingKeys
    }

    /// The response, built without a request.
    public var response: Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = sortingKeys ? [.sortedKeys, .withoutEscapingSlashes] : [.withoutEscapingSlashes]
        // Every body served is made of strings, numbers and our own Encodable snapshots; an
        // encoding failure would be a programming error, answered as an empty object.
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response { response }
}

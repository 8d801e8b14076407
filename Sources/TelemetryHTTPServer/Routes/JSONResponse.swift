import Hummingbird

/// Any `Encodable` value as a JSON response body.
///
/// The snapshots served here come from modules that do not depend on Hummingbird, so they
/// cannot conform to `ResponseEncodable` themselves; one generic wrapper serves them all.
struct JSONResponse<Body: Encodable & Sendable>: ResponseEncodable {
    let body: Body

    init(_ body: Body) {
        self.body = body
    }

    func encode(to encoder: any Encoder) throws {
        try body.encode(to: encoder)
    }
}

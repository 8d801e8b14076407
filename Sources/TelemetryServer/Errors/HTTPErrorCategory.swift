/// Maps an HTTP status to the seed's error type names, for `error_rate{type}` and `error.type`.
///
/// Kept to the HTTP-visible types; breaker rejections are classified where they happen.
enum HTTPErrorCategory {
    /// The seed's type for a status of 400 or more, or `nil` for success.
    static func type(forStatus status: Int) -> String? {
        switch status {
        case ..<400: nil
        case 400, 409, 413, 414, 415, 422: "validation"
        case 401, 407: "authentication"
        case 403: "authorization"
        case 404, 405, 410: "not_found"
        case 408, 504: "timeout"
        case 429: "rate_limit"
        case 502, 503: "service_unavailable"
        case 400..<500: "validation"
        default: "internal"
        }
    }
}

/// Checks an `Authorization: Bearer <token>` header against the configured admin token.
package enum BearerToken {
    /// Whether `header` is `Bearer ` followed by exactly `token`, compared in constant time.
    package static func matches(_ header: String?, token: String) -> Bool {
        let prefix = "Bearer "
        guard let header, header.hasPrefix(prefix) else { return false }
        return constantTimeEquals(Array(header.utf8.dropFirst(prefix.utf8.count)), Array(token.utf8))
    }

    /// Compares without an early exit, so response timing does not reveal a matching prefix.
    package static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference = UInt8(lhs.count == rhs.count ? 0 : 1)
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? lhs[index] : 0
            let right = index < rhs.count ? rhs[index] : 0
            difference |= left ^ right
        }
        return difference == 0
    }
}

import TelemetryHTTPExport

extension FuzzTarget {
    /// A `Content-Encoding: snappy` body of at most this many bytes decoded.
    static let snappyLimit = 100_000

    /// A snappy block as a remote-write receiver reads one; whatever decodes must compress
    /// and decode back to itself.
    static let snappy = FuzzTarget(name: "snappy", summary: "Snappy.decompress(_:limit:), then a round trip") { bytes in
        do {
            let decoded = try Snappy.decompress(Array(bytes), limit: snappyLimit)
            precondition(decoded.count <= snappyLimit, "decoded \(decoded.count) bytes past the limit \(snappyLimit)")
            let again = try Snappy.decompress(Snappy.compress(decoded), limit: snappyLimit)
            precondition(again == decoded, "compressing and decoding \(decoded.count) bytes changed them")
        } catch {
            _ = String(describing: error)
        }
    }
}

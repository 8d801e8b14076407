import TelemetryHTTPExport

extension FuzzTarget {
    /// Just over one of the inflater's 64 KiB chunks, so inputs reach both the limit and the
    /// chunk loop cheaply.
    static let gzipLimit = 100_000

    /// A `Content-Encoding: gzip` request body; the limit is what stops a gzip bomb.
    static let gzip = FuzzTarget(name: "gzip", summary: "Gzip.decompress(_:limit:)") { bytes in
        do {
            let inflated = try Gzip.decompress(Array(bytes), limit: gzipLimit)
            precondition(inflated.count <= gzipLimit, "inflated \(inflated.count) bytes past the limit \(gzipLimit)")
        } catch {
            _ = String(describing: error)
        }
    }
}

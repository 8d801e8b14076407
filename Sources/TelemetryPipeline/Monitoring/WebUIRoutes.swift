import HTTPTypes
import Hummingbird
import NIOCore

/// The web UI on the monitoring endpoint: `/` and its two assets, compiled into the binary
/// (`resources: .embedInCode` in `Package.swift`), so it works offline with nothing installed.
/// The page reads the query API, the health dashboard, `/metrics` and the error routes.
struct WebUIRoutes: Sendable {
    static let assets: [(path: String, contentType: String, bytes: [UInt8])] = [
        ("/", "text/html; charset=utf-8", PackageResources.index_html),
        ("/ui/app.js", "text/javascript; charset=utf-8", PackageResources.app_js),
        ("/ui/app.css", "text/css; charset=utf-8", PackageResources.app_css),
    ]

    func register(on router: Router<BasicRequestContext>) {
        for asset in Self.assets {
            let buffer = ByteBuffer(bytes: asset.bytes)
            router.get(RouterPath(stringLiteral: asset.path)) { _, _ in
                Response(
                    status: .ok,
                    headers: [.contentType: asset.contentType, .cacheControl: "no-cache", HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                    body: .init(byteBuffer: buffer))
            }
        }
    }
}

import Hummingbird

/// `GET /chaos`, `POST /chaos?mode=…&seconds=…` and `DELETE /chaos` on the user-service.
struct ChaosRoutes: Sendable {
    let chaos: ChaosSwitch

    func addRoutes(to router: Router<BasicRequestContext>) {
        let chaos = self.chaos
        router.get("/chaos") { _, _ in JSONBody.response(chaos.status) }
        router.post("/chaos") { request, _ in
            let query = request.uri.queryParameters
            let rawMode = query["mode"].map(String.init) ?? ChaosMode.mixed.rawValue
            guard let mode = ChaosMode(rawValue: rawMode) else {
                let known = ChaosMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw DemoError.validation("mode must be one of \(known), not '\(rawMode)'")
            }
            let rawSeconds = query["seconds"].map(String.init) ?? "20"
            guard let seconds = Double(rawSeconds), seconds > 0, seconds <= 3600 else {
                throw DemoError.validation("seconds must be a number above 0 and at most 3600, not '\(rawSeconds)'")
            }
            chaos.start(mode, for: .milliseconds(Int64(seconds * 1000)))
            return JSONBody.response(chaos.status)
        }
        router.delete("/chaos") { _, _ in
            chaos.stop()
            return JSONBody.response(chaos.status)
        }
    }
}

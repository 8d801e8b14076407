import Testing

@testable import TelemetryHTTPExport

@Suite struct HTTPSpanDeliveryTests {
    private func delivery(
        _ server: LoopbackHTTPServer,
        clock: ImmediateClock,
        policy: RetryPolicy = .default,
        compression: HTTPSpanDelivery.Compression = .none,
        headers: [(name: String, value: String)] = []
    ) -> HTTPSpanDelivery {
        HTTPSpanDelivery(
            configuration: .init(
                endpoint: server.url, contentType: "application/x-protobuf", headers: headers,
                compression: compression, timeout: .seconds(5), retryPolicy: policy
            ),
            clock: clock,
            jitter: { 0 }
        )
    }

    @Test func retriesServiceUnavailableHonouringRetryAfter() async throws {
        let busy = LoopbackHTTPServer.Reply(status: 503, headers: [("Retry-After", "1")])
        try await LoopbackHTTPServer.serving(replies: [busy, busy, busy]) { server in
            let clock = ImmediateClock()
            let response = try await delivery(server, clock: clock).deliver([1, 2, 3], spanCount: 3)
            #expect(response.status == 200)
            #expect(response.attempts == 4)
            #expect(server.received.count == 4)
            #expect(server.received.allSatisfy { $0.body == [1, 2, 3] })
            #expect(clock.sleeps == [.seconds(1), .seconds(1), .seconds(1)])
        }
    }

    @Test func neverRetriesBadRequest() async throws {
        try await LoopbackHTTPServer.serving(replies: [.init(status: 400, body: Array("bad".utf8))]) { server in
            let clock = ImmediateClock()
            await #expect(throws: HTTPExportError.rejected) {
                try await delivery(server, clock: clock).deliver([0], spanCount: 1)
            }
            #expect(server.received.count == 1)
            #expect(clock.sleeps.isEmpty)
        }
    }

    @Test(arguments: [429, 502, 504])
    func retriesThrottlingAndGatewayErrorsWithExponentialBackoff(status: Int) async throws {
        let reply = LoopbackHTTPServer.Reply(status: status)
        try await LoopbackHTTPServer.serving(replies: [reply, reply, reply]) { server in
            let clock = ImmediateClock()
            let response = try await delivery(server, clock: clock).deliver([9], spanCount: 1)
            #expect(response.attempts == 4)
            // Jitter 0 takes the lower half of each doubling backoff: 0.5 s, 1 s, 2 s halved.
            #expect(clock.sleeps == [.milliseconds(250), .milliseconds(500), .seconds(1)])
        }
    }

    @Test func givesUpAfterTheAttemptBound() async throws {
        try await LoopbackHTTPServer.serving(replies: [], fallback: .init(status: 503)) { server in
            let clock = ImmediateClock()
            let policy = RetryPolicy(maximumAttempts: 3)
            await #expect(throws: HTTPExportError.retriesExhausted) {
                try await delivery(server, clock: clock, policy: policy).deliver([0], spanCount: 1)
            }
            #expect(server.received.count == 3)
        }
    }

    @Test func givesUpWhenRetryAfterExceedsTheTimeBound() async throws {
        try await LoopbackHTTPServer.serving(replies: [], fallback: .init(status: 503, headers: [("Retry-After", "20")])) { server in
            let clock = ImmediateClock()
            let policy = RetryPolicy(maximumElapsed: .seconds(30))
            await #expect(throws: HTTPExportError.retriesExhausted) {
                try await delivery(server, clock: clock, policy: policy).deliver([0], spanCount: 1)
            }
            #expect(server.received.count == 2)
            #expect(clock.sleeps == [.seconds(20)])
        }
    }

    @Test func retriesConnectionErrors() async throws {
        let server = try await LoopbackHTTPServer(replies: [])
        try await server.stop()
        let clock = ImmediateClock()
        await #expect(throws: HTTPExportError.retriesExhausted) {
            try await delivery(server, clock: clock, policy: RetryPolicy(maximumAttempts: 3)).deliver([0], spanCount: 1)
        }
        #expect(clock.sleeps.count == 2)
    }

    @Test func sendsHeadersAndGzipBody() async throws {
        try await LoopbackHTTPServer.serving(replies: []) { server in
            let body = Array(repeating: Array("span-data ".utf8), count: 100).flatMap { $0 }
            _ = try await delivery(server, clock: ImmediateClock(), compression: .gzip, headers: [("x-api-key", "secret")])
                .deliver(body, spanCount: 1)
            let received = try #require(server.received.first)
            #expect(received.header("content-encoding") == "gzip")
            #expect(received.header("content-type") == "application/x-protobuf")
            #expect(received.header("x-api-key") == "secret")
            #expect(received.body.count < body.count)
            #expect(try Gzip.decompress(received.body) == body)
        }
    }
}

extension HTTPSpanDeliveryTests {
    @Test func honoursRetryAfterGivenAsAnHTTPDate() async throws {
        // The backend asks to come back at 2023-11-14 22:13:27 UTC; the wall clock reads 7 s earlier.
        let busy = LoopbackHTTPServer.Reply(status: 503, headers: [("Retry-After", "Tue, 14 Nov 2023 22:13:27 GMT")])
        try await LoopbackHTTPServer.serving(replies: [busy]) { server in
            let clock = ImmediateClock()
            let delivery = HTTPSpanDelivery(
                configuration: .init(endpoint: server.url, timeout: .seconds(5)),
                clock: clock,
                jitter: { 0 },
                wallClock: { .seconds(1_700_000_000) }
            )
            let response = try await delivery.deliver([7], spanCount: 1)
            #expect(response.attempts == 2)
            #expect(server.received.count == 2)
            #expect(clock.sleeps == [.seconds(7)])
        }
    }
}

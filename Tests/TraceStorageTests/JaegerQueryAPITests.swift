import Foundation
import TelemetryCore
import Testing

@testable import TraceStorage

/// The query API's answers, read back as the Jaeger UI reads them: JSON objects.
@Suite struct JaegerQueryAPITests {
    let api: JaegerQueryAPI

    init() {
        let store = TraceStore()
        for number in 1...6 { store.insert(Fixtures.checkout(UInt64(number), failed: number == 4), now: Fixtures.epoch) }
        api = JaegerQueryAPI(store: store, now: { Fixtures.epoch + 10 * Fixtures.second })
    }

    func get(_ path: String, _ parameters: [(String, String)] = []) throws -> (status: Int, json: [String: Any]) {
        let response = try #require(api.respond(path: path, parameters: parameters))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        return (response.status, json)
    }

    @Test func servicesAndOperations() throws {
        let services = try get("/api/services")
        #expect(services.status == 200)
        #expect(services.json["data"] as? [String] == ["gateway", "orders"])
        #expect(services.json["total"] as? Int == 2)
        #expect(services.json["errors"] is NSNull)
        #expect(try get("/api/services/orders/operations").json["data"] as? [String] == ["POST /orders", "SELECT"])
        let operations = try get("/api/operations", [("service", "gateway"), ("spanKind", "client")]).json["data"] as? [[String: String]]
        #expect(operations == [["name": "call orders", "spanKind": "client"]])
    }

    @Test func aTraceInJaegersShape() throws {
        let answer = try get("/api/traces/abcd0000000000000004")
        #expect(answer.status == 200)
        let trace = try #require((answer.json["data"] as? [[String: Any]])?.first)
        #expect(trace["traceID"] as? String == "000000000000abcd0000000000000004")
        let spans = try #require(trace["spans"] as? [[String: Any]])
        #expect(spans.count == 4)
        let orders = try #require(spans.first { $0["operationName"] as? String == "POST /orders" })
        #expect(orders["spanID"] as? String == "000000000000002b")  // span 43
        #expect(orders["startTime"] as? Int == Int(Fixtures.epoch / 1000) + 2000)
        #expect(orders["duration"] as? Int == 25_000)
        let references = try #require(orders["references"] as? [[String: String]])
        #expect(references == [["refType": "CHILD_OF", "traceID": "000000000000abcd0000000000000004", "spanID": "000000000000002a"]])
        let tags = try #require(orders["tags"] as? [[String: Any]])
        func tag(_ key: String) -> [String: Any]? { tags.first { $0["key"] as? String == key } }
        #expect(tag("error")?["value"] as? Bool == true)
        #expect(tag("error")?["type"] as? String == "bool")
        #expect(tag("http.response.status_code")?["type"] as? String == "int64")
        #expect(tag("http.response.status_code")?["value"] as? Int == 500)
        #expect(tag("span.kind")?["value"] as? String == "server")
        #expect(tag("otel.status_description")?["value"] as? String == "boom")
        let processes = try #require(trace["processes"] as? [String: [String: Any]])
        #expect(Set(processes.values.compactMap { $0["serviceName"] as? String }) == ["gateway", "orders"])
        #expect(processes[orders["processID"] as? String ?? ""]?["serviceName"] as? String == "orders")
    }

    @Test func searchByTagsDurationAndTime() throws {
        let failed = try get("/api/traces", [("service", "orders"), ("tags", #"{"error":"true"}"#)])
        #expect((failed.json["data"] as? [[String: Any]])?.compactMap { $0["traceID"] as? String } == ["000000000000abcd0000000000000004"])
        #expect(try get("/api/traces", [("service", "orders"), ("tag", "http.response.status_code:500")]).json["total"] as? Int == 1)
        #expect(try get("/api/traces", [("service", "gateway"), ("minDuration", "35ms")]).json["total"] as? Int == 6)
        #expect(try get("/api/traces", [("service", "gateway"), ("maxDuration", "35ms"), ("operation", "GET /orders")]).json["total"] as? Int == 0)
        #expect(try get("/api/traces", [("service", "gateway"), ("limit", "2")]).json["total"] as? Int == 2)
        let start = String(Fixtures.epoch / 1000 + 1)
        #expect(try get("/api/traces", [("service", "gateway"), ("start", start)]).json["total"] as? Int == 6)
        #expect(try get("/api/traces", [("service", "gateway"), ("operation", "GET /orders"), ("start", start)]).json["total"] as? Int == 0)
        // lookback counts back from now (10 s after the spans) when start is absent.
        #expect(try get("/api/traces", [("service", "gateway"), ("lookback", "5s")]).json["total"] as? Int == 0)
        #expect(try get("/api/traces", [("service", "gateway"), ("lookback", "1h")]).json["total"] as? Int == 6)
        #expect(try get("/api/traces", [("service", "gateway"), ("lookback", "2d")]).json["total"] as? Int == 6)
        #expect(try get("/api/traces", [("service", "gateway"), ("minDuration", "1.5ms"), ("maxDuration", "2h45m")]).json["total"] as? Int == 6)
        let byID = try get("/api/traces", [("traceID", "abcd0000000000000001"), ("traceID", "abcd0000000000000002")])
        #expect(byID.json["total"] as? Int == 2)
    }

    @Test func queriesAreFormDecodedAsGoDecodesThem() throws {
        #expect(
            JaegerQueryAPI.formParameters("a=1&b=x+y&tags=%7B%22error%22%3A+%22true%22%7D&c=%2B&a=2&flag")
                .map { [$0.0, $0.1] } == [["a", "1"], ["b", "x y"], ["tags", #"{"error": "true"}"#], ["c", "+"], ["a", "2"], ["flag", ""]])
        let response = try #require(api.respond(path: "/api/traces", query: "service=orders&tags=%7B%22error%22%3A+%22true%22%7D"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(json["total"] as? Int == 1)
    }

    @Test func dependencies() throws {
        let endTs = String((Fixtures.epoch + 10 * Fixtures.second) / 1_000_000)
        let answer = try get("/api/dependencies", [("endTs", endTs), ("lookback", "60000")])
        let dependencies = try #require(answer.json["data"] as? [[String: Any]])
        #expect(dependencies.count == 1)
        #expect(dependencies.first?["parent"] as? String == "gateway")
        #expect(dependencies.first?["child"] as? String == "orders")
        #expect(dependencies.first?["callCount"] as? Int == 6)
        #expect(try get("/api/dependencies", [("endTs", endTs), ("lookback", "1000")]).json["total"] as? Int == 0)
    }

    @Test func badParametersGetJaegersFourHundred() throws {
        let cases: [(String, [(String, String)], String)] = [
            ("/api/traces", [], "parameter 'service' is required"),
            ("/api/operations", [], "parameter 'service' is required"),
            ("/api/operations", [("service", "orders"), ("spanKind", "sideways")], "unsupported span kind"),
            ("/api/traces", [("service", "orders"), ("minDuration", "fast")], "unable to parse param 'minDuration'"),
            ("/api/traces", [("service", "orders"), ("minDuration", "2s"), ("maxDuration", "1s")], "'maxDuration' should be greater than 'minDuration'"),
            ("/api/traces", [("service", "orders"), ("limit", "many")], "unable to parse param 'limit'"),
            ("/api/traces", [("service", "orders"), ("start", "yesterday")], "unable to parse param 'start'"),
            ("/api/traces", [("service", "orders"), ("tags", "{error")], "malformed 'tags' parameter"),
            ("/api/traces", [("service", "orders"), ("tag", "error")], "malformed 'tag' parameter"),
            ("/api/traces", [("traceID", "xyz")], "cannot parse traceID"),
            ("/api/traces/not-hex", [], "cannot parse traceID"),
            ("/api/dependencies", [("endTs", "-1")], "unable to parse param 'endTs'"),
        ]
        for (path, parameters, message) in cases {
            let answer = try get(path, parameters)
            #expect(answer.status == 400, "\(path) \(parameters)")
            let errors = answer.json["errors"] as? [[String: Any]]
            #expect(errors?.first?["code"] as? Int == 400)
            #expect((errors?.first?["msg"] as? String)?.contains(message) == true, "\(path) \(parameters): \(errors ?? [])")
            #expect(answer.json["data"] is NSNull)
        }
    }

    @Test func anUnknownTraceIsFourOhFourAndUnknownPathsAreNotTheAPIs() throws {
        let missing = try get("/api/traces/ffff")
        #expect(missing.status == 404)
        #expect((missing.json["errors"] as? [[String: Any]])?.first?["msg"] as? String == "trace not found")
        #expect(api.respond(path: "/api/unknown", parameters: []) == nil)
        #expect(api.respond(path: "/monitoring/health", parameters: []) == nil)
    }
}

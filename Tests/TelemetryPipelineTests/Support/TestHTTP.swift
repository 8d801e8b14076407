import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real HTTP client for loopback tests.
enum TestHTTP {
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    static func send(
        _ url: String, method: String = "POST", body: [UInt8] = [], headers: [String: String] = [:]
    ) async throws -> Reply {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if method != "GET" { request.httpBody = Data(body) }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields[String(describing: key).lowercased()] = String(describing: value) }
        return Reply(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
    }

    static func get(_ url: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send(url, method: "GET", headers: headers)
    }
}

import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Finds a load balancer's backends: a fixed list, or every address a DNS name resolves to.
package struct BackendResolver: Sendable {
    /// Addresses of a host name, as numeric strings; throws when the lookup fails.
    package typealias Lookup = @Sendable (_ hostname: String, _ timeout: Duration) async throws -> [String]

    package let resolver: LoadBalancingSettings.Resolver
    let lookup: Lookup

    package init(_ resolver: LoadBalancingSettings.Resolver, lookup: @escaping Lookup = BackendResolver.systemLookup) {
        self.resolver = resolver
        self.lookup = lookup
    }

    /// Whether the backends can change at run time.
    package var isDynamic: Bool {
        if case .dns = resolver { return true }
        return false
    }

    /// How long to wait between resolutions, for a dynamic resolver.
    package var interval: Duration {
        if case .dns(_, _, let interval, _) = resolver { return interval }
        return .seconds(5)
    }

    /// The backends' ring names, sorted and without duplicates.
    package func resolve() async throws -> [String] {
        switch resolver {
        case .fixed(let hostnames):
            return Array(Set(hostnames)).sorted()
        case .dns(let hostname, let port, _, let timeout):
            let addresses = try await lookup(hostname, timeout)
            return Array(Set(addresses.map { LoadBalancingSettings.backendName(host: $0, port: port) })).sorted()
        }
    }

    struct LookupFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// `getaddrinfo` on a Dispatch thread (it blocks), given up after `timeout`; the lookup
    /// itself may run on past it, but its answer is then ignored.
    package static let systemLookup: Lookup = { hostname, timeout in
        try await withThrowingTaskGroup(of: [String].self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { continuation in
                    DispatchQueue.global().async { continuation.resume(with: Result { try addresses(of: hostname) }) }
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw LookupFailed(description: "resolving \(hostname) took longer than \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next() ?? []
        }
    }

    private static func addresses(of hostname: String) throws -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(hostname, nil, &hints, &list)
        guard status == 0 else {
            throw LookupFailed(description: "resolving \(hostname) failed: \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var result: [String] = []
        var entry = list
        while let info = entry?.pointee {
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if info.ai_family == AF_INET || info.ai_family == AF_INET6, let address = info.ai_addr,
                getnameinfo(address, info.ai_addrlen, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0
            {
                result.append(String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            entry = info.ai_next
        }
        return result
    }
}

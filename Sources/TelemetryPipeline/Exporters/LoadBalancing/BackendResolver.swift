import Dispatch
import Foundation
import Synchronization

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

    /// `getaddrinfo` on a Dispatch thread (it blocks and cannot be cancelled), given up after
    /// `timeout`: the caller goes on, and the lookup's late answer is ignored.
    package static let systemLookup: Lookup = { hostname, timeout in
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[String], any Error>) in
            let pending = Mutex<CheckedContinuation<[String], any Error>?>(continuation)
            let finish: @Sendable (Result<[String], any Error>) -> Void = { result in
                pending.withLock { waiting in
                    waiting?.resume(with: result)
                    waiting = nil
                }
            }
            DispatchQueue.global().async { finish(Result { try addresses(of: hostname) }) }
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(min(timeout.seconds, 3_600) * 1_000))) {
                finish(.failure(LookupFailed(description: "resolving \(hostname) took longer than \(timeout)")))
            }
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

import TelemetryCore

/// The `OTEL_EXPORTER_OTLP_*` variables both OTLP exporters read, each in its traces form first
/// (`OTEL_EXPORTER_OTLP_TRACES_HEADERS` over `OTEL_EXPORTER_OTLP_HEADERS`), parsed as the
/// OpenTelemetry specification describes; a malformed value throws naming its variable.
package struct OTLPEnvironment {
    private let reader: EnvironmentReader

    package init(_ variables: [String: String]) { reader = EnvironmentReader(variables) }

    /// The first non-empty one of `OTEL_EXPORTER_OTLP_TRACES_<name>` and `OTEL_EXPORTER_OTLP_<name>`.
    package func value(_ name: String) -> (variable: String, value: String)? {
        for variable in ["OTEL_EXPORTER_OTLP_TRACES_\(name)", "OTEL_EXPORTER_OTLP_\(name)"] {
            if let value = reader.string(variable) { return (variable, value) }
        }
        return nil
    }

    /// `HEADERS`: `key=value,key2=value2`, values percent-decoded; `nil` when unset.
    package func headers() throws(ConfigurationError) -> [(name: String, value: String)]? {
        guard let list = value("HEADERS") else { return nil }
        return try Self.parseHeaders(list.value, variable: list.variable)
    }

    /// `COMPRESSION`: `gzip` or `none`; `nil` when unset.
    package func compression() throws(ConfigurationError) -> HTTPSpanDelivery.Compression? {
        guard let setting = value("COMPRESSION") else { return nil }
        guard let parsed = HTTPSpanDelivery.Compression(rawValue: setting.value.lowercased()) else {
            throw .malformed(setting.variable, setting.value, expected: "gzip or none")
        }
        return parsed
    }

    /// `TIMEOUT`: milliseconds, or a duration with a unit; `nil` when unset.
    package func timeout() throws(ConfigurationError) -> Duration? {
        guard let setting = value("TIMEOUT") else { return nil }
        return try HTTPSpanDelivery.Configuration.timeout(setting.value, variable: setting.variable)
    }

    /// Parses the W3C-baggage-like `key=value,key2=value2` list, percent-decoding values.
    package static func parseHeaders(_ text: String, variable: String) throws(ConfigurationError) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for member in text.split(separator: ",") {
            guard let equals = member.firstIndex(of: "=") else {
                throw .malformed(variable, text, expected: "comma-separated key=value pairs")
            }
            let name = member[..<equals].trimmingSpaces()
            let value = member[member.index(after: equals)...].trimmingSpaces()
            guard !name.isEmpty else { throw .malformed(variable, text, expected: "comma-separated key=value pairs") }
            result.append((name, value.percentDecoded))
        }
        return result
    }
}

extension String {
    fileprivate var percentDecoded: String {
        var bytes: [UInt8] = []
        var utf8 = Array(self.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let high = hexValue(utf8[utf8.startIndex]), let low = hexValue(utf8[utf8.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

import GRPCCore

/// Sends a message's protobuf bytes as they are, for callers that encode with the package's
/// own hand-written encoders instead of SwiftProtobuf message objects.
package struct RawBytesSerializer: MessageSerializer {
    package init() {}

    package func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes {
        Bytes(message)
    }
}

/// Hands a message's protobuf bytes over undecoded, so the receiver decodes them with
/// `OTLPTraceDecoder` (several times faster than SwiftProtobuf's message objects) and can
/// answer undecodable bytes with `INVALID_ARGUMENT` rather than the transport's `INTERNAL`.
package struct RawBytesDeserializer: MessageDeserializer {
    package init() {}

    package func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}

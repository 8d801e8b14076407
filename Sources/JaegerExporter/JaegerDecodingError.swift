/// Why a Jaeger thrift body could not be decoded.
public struct JaegerDecodingError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case truncated
        case negativeLength
        case countExceedsInput
        case unknownType
        case nestingTooDeep
        case missingField
        case invalidIdentifier
        case trailingBytes
    }

    private let code: Code
    /// A readable explanation naming the field and byte offset.
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    static func truncated(_ what: StaticString, offset: Int) -> Self {
        Self(.truncated, "Jaeger thrift body ends inside \(what) at byte \(offset)")
    }

    static func negativeLength(_ what: StaticString, offset: Int) -> Self {
        Self(.negativeLength, "Jaeger thrift body has a negative length for \(what) at byte \(offset)")
    }

    static func countExceedsInput(_ what: StaticString, count: Int, offset: Int) -> Self {
        Self(.countExceedsInput, "Jaeger thrift body declares \(count) elements for \(what) at byte \(offset), more than the remaining bytes can hold")
    }

    static func unknownType(_ type: UInt8, offset: Int) -> Self {
        Self(.unknownType, "Jaeger thrift body has unknown type tag \(type) at byte \(offset)")
    }

    static func nestingTooDeep(offset: Int) -> Self {
        Self(.nestingTooDeep, "Jaeger thrift body nests deeper than \(ThriftReader.maximumDepth) levels at byte \(offset)")
    }

    static func missingField(_ field: StaticString) -> Self {
        Self(.missingField, "Jaeger thrift body lacks required field \(field)")
    }

    static func invalidIdentifier(_ field: StaticString, spanIndex: Int) -> Self {
        Self(.invalidIdentifier, "Jaeger span \(spanIndex) has an all-zero \(field)")
    }

    static func trailingBytes(_ count: Int) -> Self {
        Self(.trailingBytes, "Jaeger thrift body has \(count) trailing bytes after the Batch")
    }

    /// The body ended before a complete value.
    public static let truncatedInput = Self(.truncated, "")
    /// A declared list or string length is impossible for the body's size.
    public static let impossibleLength = Self(.countExceedsInput, "")
    /// A required field (Batch.process, Batch.spans, span IDs) is absent.
    public static let requiredFieldMissing = Self(.missingField, "")
}

/// Groups errors that differ only in the values inside their messages.
///
/// The fingerprint is the service, the type and the message with numbers, UUIDs, hex
/// identifiers and quoted values replaced by placeholders, so `user 42 not found` and
/// `user 97 not found` fall into one group.
public struct ErrorFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// The service the error happened in.
    public var service: String
    /// The error type.
    public var type: ErrorType
    /// The normalised message.
    public var normalizedMessage: String

    /// Creates the fingerprint of an error.
    public init(service: String, type: ErrorType, message: String) {
        self.service = service
        self.type = type
        self.normalizedMessage = Self.normalize(message)
    }

    public var description: String { "\(service)|\(type.rawValue)|\(normalizedMessage)" }

    /// Longest message prefix considered; the rest rarely distinguishes errors.
    static let maximumMessageLength = 512

    /// Replaces variable parts of a message: quoted values by `"?"`, UUIDs and hex IDs by
    /// `<id>`, numbers by `<n>`; collapses whitespace.
    public static func normalize(_ message: String) -> String {
        let scalars = Array(message.unicodeScalars.prefix(maximumMessageLength))
        var output = String.UnicodeScalarView()
        var index = 0
        var lastWasSpace = true
        func emit(_ text: String) {
            output.append(contentsOf: text.unicodeScalars)
            lastWasSpace = false
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.isWhitespace {
                if !lastWasSpace { output.append(" ") }
                lastWasSpace = true
                index += 1
                continue
            }
            if isQuote(scalar), index == 0 || !isWordCharacter(scalars[index - 1]),
                let close = scalars[(index + 1)...].firstIndex(of: scalar)
            {
                emit("\(scalar)?\(scalar)")
                index = close + 1
                continue
            }
            if isWordCharacter(scalar) {
                var end = index
                while end < scalars.count, isWordCharacter(scalars[end]) || scalars[end] == "-" { end += 1 }
                emit(normalizeToken(scalars[index..<end]))
                index = end
                continue
            }
            output.append(scalar)
            lastWasSpace = false
            index += 1
        }
        var result = String(output)
        while result.contains("<n>.<n>") { result = result.replacing("<n>.<n>", with: "<n>") }
        while result.last == " " { result.removeLast() }
        return result
    }

    private static func normalizeToken(_ token: ArraySlice<Unicode.Scalar>) -> String {
        let hasDigit = token.contains { ("0"..."9").contains($0) }
        guard hasDigit else { return String(String.UnicodeScalarView(token)) }
        let isHexOrDash = token.allSatisfy { isHexDigit($0) || $0 == "-" }
        let hexCount = token.filter(isHexDigit).count
        if isHexOrDash, hexCount >= 8 { return "<id>" }
        if token.count > 2, token[token.startIndex] == "0", token[token.startIndex + 1] == "x" || token[token.startIndex + 1] == "X",
            token.dropFirst(2).allSatisfy(isHexDigit)
        {
            return "<id>"
        }
        // Digit runs inside a word ("req-123", "v2") become <n>; `normalize` then merges "<n>.<n>".
        var result = String.UnicodeScalarView()
        var position = token.startIndex
        while position < token.endIndex {
            if ("0"..."9").contains(token[position]) {
                while position < token.endIndex, ("0"..."9").contains(token[position]) { position += 1 }
                result.append(contentsOf: "<n>".unicodeScalars)
            } else {
                result.append(token[position])
                position += 1
            }
        }
        return String(result)
    }

    private static func isQuote(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\"" || scalar == "'" || scalar == "`"
    }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
    }

    private static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
    }
}

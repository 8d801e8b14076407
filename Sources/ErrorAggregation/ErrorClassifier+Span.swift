import TelemetryCore

extension ErrorClassifier {
    /// The error type of a finished span, or `nil` if the span did not fail.
    ///
    /// A span failed when its status is `ERROR`, or when it is a server span with an unset
    /// status and a 5xx response. The type comes from, in order: an `error.type` attribute
    /// naming one of the nine types; the HTTP status (`http.response.status_code`, or the
    /// older `http.status_code`); `error.type` as a status code or a type name; the
    /// `exception.type` of the span's `exception` events; the status description;
    /// otherwise `internal`.
    public static func classify(span: TelemetrySpanData) -> ErrorType? {
        let statusCode = httpStatusCode(of: span)
        switch span.status {
        case .error: break
        case .unset where span.kind == .server && (statusCode ?? 0) >= 500: break
        default: return nil
        }
        let errorTypeAttribute = span.attributes["error.type"]
        if let name = errorTypeAttribute?.stringValue, let type = ErrorType(rawValue: name) { return type }
        if let statusCode, let type = classify(statusCode: statusCode) { return type }
        if let value = errorTypeAttribute {
            if let code = value.intValue, let type = classify(statusCode: Int(code)) { return type }
            if let name = value.stringValue, let type = classify(typeName: name) { return type }
        }
        for event in span.events where event.name == "exception" {
            if let name = event.attributes["exception.type"]?.stringValue, let type = classify(typeName: name) { return type }
        }
        if case .error(let description?) = span.status {
            if let code = leadingStatusCode(in: description), let type = classify(statusCode: code) { return type }
            if let type = classify(typeName: description) { return type }
        }
        return .internal
    }

    /// The most specific human-readable message a failed span carries: an exception
    /// message, else the status description, else the `error.type` or span name.
    public static func message(of span: TelemetrySpanData) -> String {
        for event in span.events where event.name == "exception" {
            if let message = event.attributes["exception.message"]?.stringValue, !message.isEmpty { return message }
        }
        if case .error(let description?) = span.status, !description.isEmpty { return description }
        if let errorType = span.attributes["error.type"] { return errorType.description }
        return span.name
    }

    static func httpStatusCode(of span: TelemetrySpanData) -> Int? {
        let value = span.attributes["http.response.status_code"] ?? span.attributes["http.status_code"]
        return value?.intValue.map { Int($0) }
    }

    /// Finds a three-digit HTTP status in descriptions such as `HTTP 503`.
    private static func leadingStatusCode(in description: String) -> Int? {
        var digits = ""
        for character in description {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !digits.isEmpty {
                break
            }
        }
        guard digits.count == 3, let code = Int(digits), (400...599).contains(code) else { return nil }
        return code
    }
}

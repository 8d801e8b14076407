import Foundation

/// Expands `${env:NAME}` and `${env:NAME:-default}` in configuration values; `$$` is a literal `$`.
enum EnvironmentSubstitution {
    struct Undefined: Error {
        let name: String
    }

    static func expand(_ text: String, environment: [String: String]) throws(Undefined) -> String {
        guard text.contains("$") else { return text }
        var result = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let afterDollar = rest[rest.index(after: dollar)...]
            if afterDollar.hasPrefix("$") {
                result += "$"
                rest = afterDollar.dropFirst()
            } else if afterDollar.hasPrefix("{env:"), let close = afterDollar.firstIndex(of: "}") {
                let body = afterDollar[afterDollar.index(afterDollar.startIndex, offsetBy: 5)..<close]
                let name: Substring
                let fallback: Substring?
                if let range = body.range(of: ":-") {
                    name = body[..<range.lowerBound]
                    fallback = body[range.upperBound...]
                } else {
                    name = body
                    fallback = nil
                }
                if let value = environment[String(name)], !value.isEmpty {
                    result += value
                } else if let fallback {
                    result += fallback
                } else {
                    throw Undefined(name: String(name))
                }
                rest = afterDollar[afterDollar.index(after: close)...]
            } else {
                result += "$"
                rest = afterDollar
            }
        }
        return result + rest
    }
}

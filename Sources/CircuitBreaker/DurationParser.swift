/// Parses Go-style durations: `60s`, `500ms`, `2m`, `1h30m`, `1.5s`, `0`.
enum DurationParser {
    static func parse(_ text: some StringProtocol) -> Duration? {
        let text = text.trimmingWhitespace()
        if text == "0" { return .zero }
        guard !text.isEmpty else { return nil }
        var total = Duration.zero
        var index = text.startIndex
        while index < text.endIndex {
            let numberStart = index
            while index < text.endIndex, text[index].isNumber || text[index] == "." { index = text.index(after: index) }
            guard numberStart < index, let number = Double(text[numberStart..<index]) else { return nil }
            let unitStart = index
            while index < text.endIndex, !(text[index].isNumber || text[index] == ".") { index = text.index(after: index) }
            let nanosPerUnit: Double
            switch text[unitStart..<index] {
            case "ns": nanosPerUnit = 1
            case "us", "µs": nanosPerUnit = 1e3
            case "ms": nanosPerUnit = 1e6
            case "s": nanosPerUnit = 1e9
            case "m": nanosPerUnit = 60e9
            case "h": nanosPerUnit = 3600e9
            default: return nil
            }
            let nanos = number * nanosPerUnit
            guard nanos.isFinite, nanos < 9.0e18 else { return nil }
            total += .nanoseconds(Int64(nanos.rounded()))
        }
        return total
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}

/// Why a configuration value was refused by ``ConfigurationValue``.
///
/// It names neither the variable nor the key: each caller wraps it into its own error type, which
/// adds the environment variable, flag, or YAML key with its file and line.
package struct ConfigurationValueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the value.
    package enum Reason: Sendable, Hashable {
        /// The text does not have the expected form; the payload says what the form is.
        case malformed(expected: String)
        /// `inf`, `nan`, or a number too large for a `Double` (`1e400`).
        case notFinite
        /// Below zero where only zero or more makes sense.
        case negative
        /// Zero where only more than zero makes sense (a timeout, a rate).
        case notPositive
        /// Above the largest accepted value, given as text.
        case tooLarge(maximum: String)
        /// Below the smallest accepted value, given as text.
        case tooSmall(minimum: String)
    }

    /// What is wrong with the value.
    package let reason: Reason

    package init(_ reason: Reason) {
        self.reason = reason
    }

    /// The problem as a predicate that reads after the value: `"inf" is not a finite number`.
    package var description: String {
        switch reason {
        case .malformed(let expected): "is not \(expected)"
        case .notFinite: "is not a finite number"
        case .negative: "is negative"
        case .notPositive: "is not above 0"
        case .tooLarge(let maximum): "is above the maximum \(maximum)"
        case .tooSmall(let minimum): "is below the minimum \(minimum)"
        }
    }

    /// What a valid value looks like, for messages of the form `expected …`.
    package var expectation: String {
        switch reason {
        case .malformed(let expected): expected
        case .notFinite: "a finite number"
        case .negative: "0 or more"
        case .notPositive: "more than 0"
        case .tooLarge(let maximum): "at most \(maximum)"
        case .tooSmall(let minimum): "at least \(minimum)"
        }
    }

    /// Whether the text had the wrong form, as opposed to a well-formed value out of range.
    package var isMalformed: Bool {
        if case .malformed = reason { return true }
        return false
    }
}

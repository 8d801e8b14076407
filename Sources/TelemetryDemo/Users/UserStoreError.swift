import ErrorAggregation

/// A failure of a ``UserStore`` operation that callers treat specially.
public struct UserStoreError: Error, Hashable, CustomStringConvertible, ClassifiableError {
    private enum Code: Hashable {
        case duplicateEmail
        case invalidDatabaseURL
        case database
    }

    private let code: Code
    /// What went wrong, naming the value involved.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Another user already has `email`.
    public static func duplicateEmail(_ email: String) -> Self {
        Self(.duplicateEmail, "a user with email '\(email)' already exists")
    }

    /// `DATABASE_URL` could not be understood.
    public static func invalidDatabaseURL(_ url: String, _ reason: String) -> Self {
        Self(.invalidDatabaseURL, "DATABASE_URL '\(url)' is not usable: \(reason)")
    }

    /// The database driver reported an error.
    public static func database(_ detail: String) -> Self {
        Self(.database, "database error: \(detail)")
    }

    /// Whether this is a unique e-mail violation.
    public var isDuplicateEmail: Bool { code == .duplicateEmail }

    public var errorType: ErrorType { code == .duplicateEmail ? .validation : .internal }

    public var description: String { message }
}

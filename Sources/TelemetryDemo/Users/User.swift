import Foundation

/// A user record as the user-service stores and serves it.
public struct User: Codable, Sendable, Hashable {
    /// The database-assigned identifier.
    public var id: Int64
    /// Display name.
    public var name: String
    /// Unique e-mail address; also the login name.
    public var email: String
    /// When the row was inserted.
    public var createdAt: Date

    /// Creates a user value.
    public init(id: Int64, name: String, email: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.email = email
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, email
        case createdAt = "created_at"
    }
}

/// The body of `POST /api/v1/users` and `PUT /api/v1/users/{id}`.
public struct UserInput: Codable, Sendable, Hashable {
    /// Display name: 1 to 100 characters.
    public var name: String
    /// E-mail address: one `@` with text on both sides, at most 254 characters.
    public var email: String

    /// Creates an input value.
    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    /// The first problem with the input, or `nil` when it can be stored.
    public var validationProblem: String? {
        let trimmedName = name.trimmingCharacters(in: .whitespaces)
        if trimmedName.isEmpty || trimmedName.count > 100 { return "name must have 1 to 100 characters" }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        if email.count > 254 || parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || email.contains(" ") {
            return "email '\(email)' is not an e-mail address"
        }
        return nil
    }
}

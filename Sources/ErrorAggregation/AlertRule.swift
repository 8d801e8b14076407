/// Fires an alert when an error rate stays above a threshold for a while.
public struct AlertRule: Sendable, Hashable {
    /// Identifies the rule in alerts and logs.
    public var name: String
    /// Error rate (errors ÷ requests, 0...1) above which the condition holds.
    public var errorRateAbove: Double
    /// How long the condition must hold before the alert fires. `.zero` fires at once.
    public var duration: Duration
    /// The service watched; `nil` watches every service separately.
    public var service: String?
    /// The error type counted; `nil` counts every type.
    public var type: ErrorType?
    /// The window the rate is computed over. Default one minute.
    public var window: ErrorWindow
    /// The alert's level.
    public var level: Alert.Level
    /// Requests the window must hold before the rate is trusted. Default 1.
    public var minimumRequests: Double

    /// Creates a rule.
    public init(
        name: String,
        errorRateAbove: Double,
        for duration: Duration,
        service: String? = nil,
        type: ErrorType? = nil,
        window: ErrorWindow = .oneMinute,
        level: Alert.Level = .warning,
        minimumRequests: Double = 1
    ) {
        self.name = name
        self.errorRateAbove = errorRateAbove
        self.duration = duration
        self.service = service
        self.type = type
        self.window = window
        self.level = level
        self.minimumRequests = minimumRequests
    }
}

extension ErrorAggregator {
    /// Limits, the rate window and alert rules of an aggregator.
    public struct Configuration: Sendable {
        /// Window over which `error_rate{service,type}` and severity escalation are computed.
        /// Default 5 minutes.
        public var rateWindow: ErrorWindow
        /// Services tracked separately; later ones are counted under `other`. Default 500.
        public var maximumServices: Int
        /// Error groups kept; the least recently seen group is dropped first. Default 1000.
        public var maximumGroups: Int
        /// Recent samples kept per group. Default 5.
        public var samplesPerGroup: Int
        /// Resolved alerts remembered for listing. Default 50.
        public var resolvedAlertHistory: Int
        /// Alert rules evaluated by ``ErrorAggregator/evaluate()``. Default: none.
        public var alertRules: [AlertRule]
        /// Called outside the aggregator's lock whenever an alert fires or resolves.
        /// Default `nil`.
        public var onAlert: (@Sendable (Alert) -> Void)?
        /// Whether to export `error_rate{service,type}` through swift-metrics. Default `true`.
        public var exportsMetrics: Bool

        /// Creates a configuration.
        public init(
            rateWindow: ErrorWindow = .fiveMinutes,
            maximumServices: Int = 500,
            maximumGroups: Int = 1000,
            samplesPerGroup: Int = 5,
            resolvedAlertHistory: Int = 50,
            alertRules: [AlertRule] = [],
            onAlert: (@Sendable (Alert) -> Void)? = nil,
            exportsMetrics: Bool = true
        ) {
            self.rateWindow = rateWindow
            self.maximumServices = max(1, maximumServices)
            self.maximumGroups = max(1, maximumGroups)
            self.samplesPerGroup = max(0, samplesPerGroup)
            self.resolvedAlertHistory = max(0, resolvedAlertHistory)
            self.alertRules = alertRules
            self.onAlert = onAlert
            self.exportsMetrics = exportsMetrics
        }

        /// The defaults listed on each property.
        public static let `default` = Configuration()
    }
}

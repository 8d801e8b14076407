extension CircuitBreakerStatus {
    /// A breaker state; the same type as ``CircuitBreaker/State``.
    public typealias State = CircuitBreaker.State

    /// A status known only by name, state and counts, such as a breaker watched in another
    /// process; the timing fields are zero and the breaker is not isolated.
    public init(name: String, state: CircuitBreaker.State, counts: Counts = Counts()) {
        self.init(
            name: name,
            state: state,
            counts: counts,
            timeInStateSeconds: 0,
            nextProbeSeconds: nil,
            isolated: false,
            generation: 0
        )
    }
}

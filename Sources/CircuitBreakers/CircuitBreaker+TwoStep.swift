extension CircuitBreaker {
    /// Permission to run one request, from ``allow()``; report its result exactly once.
    ///
    /// A permit from an earlier generation (the breaker changed state since) is ignored
    /// when completed, as gobreaker's two-step breaker does.
    public struct Permit: Sendable {
        let breaker: CircuitBreaker
        let ticket: Ticket

        /// Records a success.
        public func succeeded() {
            breaker.complete(ticket, outcome: .success)
        }

        /// Records a failure.
        public func failed() {
            breaker.complete(ticket, outcome: .failure)
        }

        /// Records `error`, classified by the configuration's `isExcluded` and `isSuccessful`.
        public func failed(with error: any Error) {
            breaker.complete(ticket, error: error)
        }

        /// Records an excluded result: it counts neither as success nor failure, and its
        /// request stays counted (gobreaker v2's `TotalExclusions`).
        public func excluded() {
            breaker.complete(ticket, outcome: .excluded)
        }
    }

    /// The first step of the two-step API: asks to run one request.
    ///
    /// - Returns: A permit to complete with the request's result.
    /// - Throws: ``CircuitBreakerRejectedError`` when the breaker does not admit the request.
    public func allow() throws(CircuitBreakerRejectedError) -> Permit {
        Permit(breaker: self, ticket: try acquire())
    }
}

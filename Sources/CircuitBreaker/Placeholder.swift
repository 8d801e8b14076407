// CircuitBreaker: placeholder until the module lands.

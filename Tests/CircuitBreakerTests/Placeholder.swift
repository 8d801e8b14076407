// CircuitBreakerTests: placeholder until the module lands.

// HealthChecksTests: placeholder until the module lands.

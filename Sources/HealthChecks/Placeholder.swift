// HealthChecks: placeholder until the module lands.

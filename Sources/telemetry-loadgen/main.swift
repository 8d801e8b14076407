print("telemetry-loadgen: not yet implemented")

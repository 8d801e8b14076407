print("telemetry-pipeline: not yet implemented")

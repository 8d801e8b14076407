/// The in-memory store answers every request without failing.
extension TraceStore: TraceRepository {}

import TelemetryCore

/// An exporter with work of its own beside the exports its worker hands it, such as a load
/// balancer re-resolving its backends. Its ``ExporterWorker`` runs ``run()`` alongside the
/// sending and waits for it after ``SpanExporter/shutdown()``, which must make it return.
package protocol ActiveSpanExporter: SpanExporter {
    func run() async
}

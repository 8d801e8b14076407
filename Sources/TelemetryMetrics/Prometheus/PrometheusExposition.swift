/// Facts about the Prometheus text exposition format that servers need when answering a scrape.
public enum PrometheusExposition {
    /// The `Content-Type` of text format 0.0.4, which every Prometheus version accepts.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}

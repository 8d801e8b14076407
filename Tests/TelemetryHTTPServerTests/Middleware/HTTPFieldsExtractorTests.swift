import HTTPTypes
import Testing

@testable import TelemetryHTTPServer

@Suite struct HTTPFieldsExtractorTests {
    @Test("repeated fields of any name casing come back joined in order, as RFC 9110 combines them")
    func joinsRepeatedFieldsInOrder() throws {
        var fields = HTTPFields()
        fields.append(HTTPField(name: try #require(HTTPField.Name("tracestate")), value: "foo=1,bar=2"))
        fields.append(HTTPField(name: try #require(HTTPField.Name("TraceState")), value: ""))
        fields.append(HTTPField(name: try #require(HTTPField.Name("TRACESTATE")), value: "rojo=1"))
        #expect(HTTPFieldsExtractor().extract(key: "tracestate", from: fields) == "foo=1,bar=2, , rojo=1")
        #expect(HTTPFieldsExtractor().extract(key: "traceparent", from: fields) == nil)
        #expect(HTTPFieldsExtractor().extract(key: "not a field name", from: fields) == nil)
    }
}

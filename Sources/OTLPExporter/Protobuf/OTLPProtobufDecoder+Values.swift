import Foundation
import TelemetryCore

extension OTLPProtobufDecoder {
    /// An `AnyValue` as read so far. Arrays and key–value lists keep their elements, so a
    /// repeated occurrence of the same member merges into them, as protobuf merges messages.
    enum PendingValue {
        case none
        case value(TelemetryAttributeValue)
        case array([TelemetryAttributeValue])
        case keyValues([(String, TelemetryAttributeValue)])
        /// A member our model has no value for (`string_value_strindex`).
        case unsupported

        /// The attribute value, mapped as the test-only `OTLPProtobufMapping.attributeValue` maps it.
        var attributeValue: TelemetryAttributeValue? {
            switch self {
            case .none, .unsupported: nil
            case .value(let value): value
            case .array(let values): TelemetryAttributeValue.homogeneousArray(values)
            case .keyValues(let pairs): .string("{" + pairs.map { JSONText.quoted($0.0) + ":" + $0.1.jsonFragment }.joined(separator: ",") + "}")
            }
        }
    }

    /// A `KeyValue`, stored under its key (a later duplicate replaces an earlier one); one
    /// without a usable value is left out.
    static func keyValue(_ reader: ProtobufReader, into attributes: inout TelemetryAttributes) throws(ProtobufReadError) {
        let (key, value) = try keyValue(reader)
        if let value { attributes[key] = value }
    }

    static func keyValue(_ reader: ProtobufReader) throws(ProtobufReadError) -> (String, TelemetryAttributeValue?) {
        var reader = reader
        var key = ""
        var value = PendingValue.none
        while let field = try reader.nextField() {
            switch (field.number, field.wireType) {
            case (1, ProtobufReader.WireType.lengthDelimited): key = try reader.string()
            case (2, ProtobufReader.WireType.lengthDelimited): try anyValue(reader.message(), into: &value)
            case (3, ProtobufReader.WireType.varint): _ = try reader.varint()
            default: try reader.skip(field.wireType, number: field.number)
            }
        }
        return (key, value.attributeValue)
    }

    static func anyValue(_ reader: ProtobufReader, into value: inout PendingValue) throws(ProtobufReadError) {
        var reader = reader
        while let field = try reader.nextField() {
            switch (field.number, field.wireType) {
            case (1, ProtobufReader.WireType.lengthDelimited): value = .value(.string(try reader.string()))
            case (2, ProtobufReader.WireType.varint): value = .value(.bool(try reader.varint() != 0))
            case (3, ProtobufReader.WireType.varint): value = .value(.int(Int64(bitPattern: try reader.varint())))
            case (4, ProtobufReader.WireType.fixed64): value = .value(.double(Double(bitPattern: try reader.fixed64())))
            case (5, ProtobufReader.WireType.lengthDelimited):
                var values: [TelemetryAttributeValue] = if case .array(let existing) = value { existing } else { [] }
                try arrayValue(reader.message(), into: &values)
                value = .array(values)
            case (6, ProtobufReader.WireType.lengthDelimited):
                var pairs: [(String, TelemetryAttributeValue)] = if case .keyValues(let existing) = value { existing } else { [] }
                try keyValueList(reader.message(), into: &pairs)
                value = .keyValues(pairs)
            case (7, ProtobufReader.WireType.lengthDelimited):
                value = .value(.string(Data(try reader.bytesField()).base64EncodedString()))
            case (8, ProtobufReader.WireType.varint):
                _ = try reader.varint()
                value = .unsupported
            default: try reader.skip(field.wireType, number: field.number)
            }
        }
    }

    private static func arrayValue(_ reader: ProtobufReader, into values: inout [TelemetryAttributeValue]) throws(ProtobufReadError) {
        var reader = reader
        while let field = try reader.nextField() {
            if field.number == 1, field.wireType == ProtobufReader.WireType.lengthDelimited {
                var element = PendingValue.none
                try anyValue(reader.message(), into: &element)
                if let value = element.attributeValue { values.append(value) }
            } else {
                try reader.skip(field.wireType, number: field.number)
            }
        }
    }

    private static func keyValueList(_ reader: ProtobufReader, into pairs: inout [(String, TelemetryAttributeValue)]) throws(ProtobufReadError) {
        var reader = reader
        while let field = try reader.nextField() {
            if field.number == 1, field.wireType == ProtobufReader.WireType.lengthDelimited {
                let (key, value) = try keyValue(reader.message())
                if let value { pairs.append((key, value)) }
            } else {
                try reader.skip(field.wireType, number: field.number)
            }
        }
    }
}

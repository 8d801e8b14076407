import TelemetryCore

/// Inserts, updates, upserts, deletes or hashes span attributes, e.g. to redact secrets
/// before spans leave the pipeline.
package struct AttributesProcessor: SpanProcessorStage {
    /// One action of the `attributes` processor, as the Collector spells it.
    package struct Action: Sendable, Equatable {
        package enum Kind: String, Sendable, CaseIterable {
            case insert, update, upsert, delete, hash
        }
        package var key: String
        package var kind: Kind
        /// The value written by insert, update and upsert.
        package var value: TelemetryAttributeValue?

        package init(key: String, kind: Kind, value: TelemetryAttributeValue? = nil) {
            self.key = key
            self.kind = kind
            self.value = value
        }
    }

    /// The `attributes` processor's settings.
    package struct Configuration: Sendable, Equatable {
        /// The actions, applied in order (`actions`, default none).
        package var actions: [Action] = []
        package static let `default` = Configuration()
    }

    let configuration: Configuration

    package init(configuration: Configuration) {
        self.configuration = configuration
    }

    package func process(_ spans: [TelemetrySpanData], now: UInt64) -> [TelemetrySpanData] {
        guard !configuration.actions.isEmpty else { return spans }
        return spans.map { span in
            var span = span
            for action in configuration.actions {
                let current = span.attributes[action.key]
                switch action.kind {
                case .insert: if current == nil { span.attributes[action.key] = action.value }
                case .update: if current != nil { span.attributes[action.key] = action.value }
                case .upsert: span.attributes[action.key] = action.value
                case .delete: span.attributes[action.key] = nil
                case .hash:
                    if let current { span.attributes[action.key] = .string(SHA256.hex(Array(current.description.utf8))) }
                }
            }
            return span
        }
    }
}

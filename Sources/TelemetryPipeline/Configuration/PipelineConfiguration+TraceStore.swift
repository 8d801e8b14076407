import Foundation
import TraceStorage

/// Where a `tracestore` exporter keeps its traces (`storage`).
package enum TraceStoreStorage: Sendable, Equatable {
    /// In memory (`storage: memory`, the default): fastest, gone when the pipeline stops.
    case memory
    /// In the SQLite database file `path` (`storage: sqlite`): survives a restart.
    case sqlite(path: String)
}

extension PipelineConfiguration {
    /// `exporters: tracestore:` — `storage` (`memory`, the default, or `sqlite` with `path`),
    /// `max_bytes` (default 64 MiB, the estimated size of the stored spans) and `retention`
    /// (default 1h).
    static func parseTraceStore(
        _ node: ConfigNode
    ) throws(PipelineConfigurationError) -> (TraceStore.Configuration, storage: TraceStoreStorage) {
        var configuration = TraceStore.Configuration()
        let keys = try node.entries(allowing: ["storage", "path", "max_bytes", "retention"])
        var storage = TraceStoreStorage.memory
        if let value = keys["storage"] {
            switch try value.string() {
            case "memory": break
            case "sqlite":
                guard let pathNode = keys["path"] else {
                    throw .missingKey("path", in: node.path, file: node.file, line: value.line)
                }
                let path = try pathNode.string()
                if let problem = Self.unwritableDatabase(at: path) { throw pathNode.invalid(problem) }
                storage = .sqlite(path: path)
            case let other:
                throw value.invalid("storage '\(other)' is not available; use memory (storage: memory) or sqlite (storage: sqlite with path)")
            }
        }
        if storage == .memory, let pathNode = keys["path"] {
            throw pathNode.invalid("path is read only with storage: sqlite; memory keeps no file")
        }
        if let value = keys["max_bytes"] { configuration.maxBytes = try value.int(in: (1 << 20)...(1 << 40)) }
        if let value = keys["retention"] { configuration.retention = try value.duration(minimum: .seconds(1)) }
        return (configuration, storage)
    }

    /// Why SQLite could not keep a database at `path`, or `nil`: the file, when it exists,
    /// must be a writable file, and its directory must exist and be writable (SQLite puts its
    /// `-wal` and `-shm` files beside it). Whether an existing file is a database is known
    /// only when it is opened, at start-up.
    static func unwritableDatabase(at path: String) -> String? {
        guard !path.isEmpty else { return "must not be empty" }
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return "'\(path)' is a directory, not a database file" }
            if !files.isWritableFile(atPath: path) { return "'\(path)' is not writable" }
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard files.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return "directory '\(directory)' of '\(path)' does not exist"
        }
        if !files.isWritableFile(atPath: directory) { return "directory '\(directory)' of '\(path)' is not writable" }
        return nil
    }
}

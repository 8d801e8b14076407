import Foundation
import Synchronization
import TelemetryCore

/// Appends each span as one JSON line to a file.
package final class FileExporter: SpanExporter {
    struct OpenFailed: Error, CustomStringConvertible {
        let path: String
        var description: String { "cannot open \(path) for writing" }
    }

    let path: String
    private let handle: Mutex<FileHandle?>

    package init(path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw OpenFailed(path: path) }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw OpenFailed(path: path) }
        handle.seekToEndOfFile()
        self.handle = Mutex(handle)
    }

    package func export(_ batch: [TelemetrySpanData]) async throws {
        var text = ""
        for span in batch {
            text += span.jsonLine
            text += "\n"
        }
        let data = Data(text.utf8)
        try handle.withLock { handle in
            guard let handle else { throw OpenFailed(path: path) }
            try handle.write(contentsOf: data)
        }
    }

    package func forceFlush() async throws {
        try handle.withLock { try $0?.synchronize() }
    }

    package func shutdown() async {
        handle.withLock { handle in
            try? handle?.close()
            handle = nil
        }
    }
}

/// The prometheus exporter serves metrics from the registry; spans reaching it need no work.
package struct MetricsOnlyExporter: SpanExporter {
    package init() {}
    package func export(_ batch: [TelemetrySpanData]) async throws {}
}

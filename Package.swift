// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "swift-telemetry",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TelemetryCore", targets: ["TelemetryCore"]),
        .library(name: "TelemetryTracing", targets: ["TelemetryTracing"]),
        .library(name: "JaegerExporter", targets: ["JaegerExporter"]),
        .library(name: "OTLPExporter", targets: ["OTLPExporter"]),
        .library(name: "OTLPGRPC", targets: ["OTLPGRPC"]),
        // Its RetryPolicy, HTTPSpanDelivery and HTTPExportError are in both HTTP exporters' API.
        .library(name: "TelemetryHTTPExport", targets: ["TelemetryHTTPExport"]),
        .library(name: "TelemetryExporters", targets: ["TelemetryExporters"]),
        .library(name: "TelemetryMetrics", targets: ["TelemetryMetrics"]),
        .library(name: "CircuitBreakers", targets: ["CircuitBreakers"]),
        .library(name: "ErrorAggregation", targets: ["ErrorAggregation"]),
        .library(name: "HealthChecks", targets: ["HealthChecks"]),
        .library(name: "TelemetryHTTPServer", targets: ["TelemetryHTTPServer"]),
        .library(name: "TelemetryPipeline", targets: ["TelemetryPipeline"]),
        .library(name: "TelemetryTesting", targets: ["TelemetryTesting"]),
        .executable(name: "telemetry-pipeline", targets: ["telemetry-pipeline"]),
        .executable(name: "telemetry-loadgen", targets: ["telemetry-loadgen"]),
        .executable(name: "telemetry-grpc-load", targets: ["telemetry-grpc-load"]),
        .executable(name: "telemetry-example-server", targets: ["telemetry-example-server"]),
        .executable(name: "telemetry-demo", targets: ["telemetry-demo"]),
        .executable(name: "telemetry-tracecontext-service", targets: ["telemetry-tracecontext-service"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-service-context.git", from: "1.5.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
    ],
    targets: [
        // MARK: SDK

        .target(
            name: "TelemetryCore",
            dependencies: [
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceContextModule", package: "swift-service-context"),
            ]
        ),
        .target(
            name: "TelemetryTracing",
            dependencies: [
                "TelemetryCore",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "JaegerExporter",
            dependencies: [
                "TelemetryCore",
                "TelemetryHTTPExport",
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "OTLPExporter",
            dependencies: [
                "TelemetryCore",
                "TelemetryHTTPExport",
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // OTLP/gRPC pieces shared by the receiver and an exporter: the TraceService method,
        // raw-bytes serializers and the google.rpc.Status/RetryInfo details.
        .target(
            name: "OTLPGRPC",
            dependencies: [
                "OTLPExporter",
                "TelemetryCore",
                "TelemetryHTTPExport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ]
        ),
        // Delivery shared by the HTTP exporters: one client, retries, backoff, self-metrics.
        .target(
            name: "TelemetryHTTPExport",
            dependencies: [
                "TelemetryCore",
                "CZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The system zlib, for gzip request bodies (Foundation on Linux has no gzip).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(
            name: "TelemetryExporters",
            dependencies: [
                "TelemetryCore",
                "TelemetryTracing",
                "TelemetryHTTPServer",
                "TelemetryHTTPExport",
                "JaegerExporter",
                "OTLPExporter",
                "OTLPGRPC",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "TelemetryMetrics",
            dependencies: [
                "TelemetryCore",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "CircuitBreakers",
            dependencies: [
                "TelemetryCore",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ErrorAggregation",
            dependencies: ["TelemetryCore", .product(name: "Metrics", package: "swift-metrics")]
        ),
        .target(
            name: "HealthChecks"
        ),
        .target(
            name: "TelemetryHTTPServer",
            dependencies: [
                "TelemetryCore",
                "TelemetryTracing",
                "TelemetryMetrics",
                "CircuitBreakers",
                "ErrorAggregation",
                "HealthChecks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "TelemetryPipeline",
            dependencies: [
                "TelemetryCore",
                "JaegerExporter",
                "OTLPExporter",
                "OTLPGRPC",
                "TelemetryHTTPExport",
                "TelemetryMetrics",
                "ErrorAggregation",
                "CircuitBreakers",
                "TelemetryHTTPServer",
                "TraceStorage",
                "TraceStorageSQLite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            // The web UI's page and assets, compiled into the binary as byte arrays.
            resources: [.embedInCode("WebUI/index.html"), .embedInCode("WebUI/app.js"), .embedInCode("WebUI/app.css")]
        ),
        .target(
            name: "TraceStorage",
            dependencies: ["TelemetryCore"]
        ),
        // The trace store in an SQLite file, through GRDB; spans kept in OTLP protobuf.
        .target(
            name: "TraceStorageSQLite",
            dependencies: ["TraceStorage", "TelemetryCore", "OTLPExporter", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "TelemetryTesting",
            dependencies: ["TelemetryCore"]
        ),

        // The seed's three services, instrumented with the SDK, plus a traffic driver.
        .target(
            name: "TelemetryDemo",
            dependencies: [
                "TelemetryCore",
                "TelemetryMetrics",
                "TelemetryHTTPServer",
                "CircuitBreakers",
                "ErrorAggregation",
                "HealthChecks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        // MARK: Executables: argument parsing and wiring only

        .executableTarget(
            name: "telemetry-pipeline",
            dependencies: [
                "TelemetryPipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "telemetry-loadgen",
            dependencies: [
                "TelemetryCore",
                "TelemetryTracing",
                "TelemetryExporters",
                "TelemetryHTTPExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),

        // The OTLP/gRPC ingest benchmark's load client (Benchmarks/pipeline-ingest.sh).
        .executableTarget(
            name: "telemetry-grpc-load",
            dependencies: [
                "OTLPGRPC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ]
        ),

        .executableTarget(
            name: "telemetry-example-server",
            dependencies: [
                "TelemetryHTTPServer",
                "TelemetryMetrics",
                "HealthChecks",
                "OTLPExporter",
                "TelemetryHTTPExport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .executableTarget(
            name: "telemetry-demo",
            dependencies: [
                "TelemetryDemo",
                "TelemetryCore",
                "TelemetryTracing",
                "TelemetryExporters",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),

        // The README's quick-starts, compiled as they are printed (scripts/check-readme-examples.py).
        .executableTarget(
            name: "TracingQuickstart",
            dependencies: [
                "TelemetryTracing",
                "TelemetryHTTPServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Examples/TracingQuickstart"
        ),
        .executableTarget(
            name: "ServiceQuickstart",
            dependencies: [
                "TelemetryExporters",
                "TelemetryHTTPServer",
                "HealthChecks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Examples/ServiceQuickstart"
        ),

        // The service the W3C Trace Context test harness drives (README: "W3C Trace Context").
        .executableTarget(
            name: "telemetry-tracecontext-service",
            dependencies: [
                "TelemetryCore",
                "TelemetryTracing",
                "TelemetryHTTPServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        // Fuzz targets for every decoder of untrusted input (Fuzz/README.md). scripts/fuzz.sh
        // builds it with libFuzzer; a plain build, as `swift build` makes, replays inputs.
        .systemLibrary(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        .executableTarget(
            name: "telemetry-fuzz",
            dependencies: [
                "CLibFuzzer", "TelemetryCore", "TelemetryTracing", "JaegerExporter", "OTLPExporter", "TelemetryHTTPExport",
                "TelemetryPipeline", .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),

        // MARK: Tests

        .testTarget(name: "TelemetryCoreTests", dependencies: ["TelemetryCore", "TelemetryTesting"]),
        .testTarget(
            name: "TelemetryTracingTests",
            dependencies: [
                "TelemetryTracing", "TelemetryTesting", .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "JaegerExporterTests",
            dependencies: ["JaegerExporter", "TelemetryTesting", .product(name: "MetricsTestKit", package: "swift-metrics")]
        ),
        .testTarget(
            name: "OTLPExporterTests",
            dependencies: [
                "OTLPExporter", "OTLPProtobufReference", "TelemetryTesting",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(
            name: "OTLPGRPCTests",
            dependencies: [
                "OTLPGRPC", "OTLPExporter", "OTLPProtobufReference", "TelemetryCore", "TelemetryHTTPExport", "TelemetryTesting",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .testTarget(
            name: "TelemetryHTTPExportTests",
            dependencies: [
                "TelemetryHTTPExport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(name: "TelemetryMetricsTests", dependencies: ["TelemetryMetrics"]),
        .testTarget(
            name: "CircuitBreakersTests",
            dependencies: [
                "CircuitBreakers", "TelemetryTesting",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .testTarget(
            name: "ErrorAggregationTests",
            dependencies: [
                "ErrorAggregation", "TelemetryTesting", .product(name: "MetricsTestKit", package: "swift-metrics"),
                // Only to show a breaker's rejection classified by its name, with no dependency.
                "CircuitBreakers",
            ]
        ),
        // swift-protobuf's generated OTLP messages and TraceService stubs with a mapping to the
        // data model: the reference the hand-written codecs are tested against, not shipped.
        .target(
            name: "OTLPProtobufReference",
            dependencies: [
                "OTLPExporter",
                "TelemetryCore",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            ],
            path: "Tests/OTLPProtobufReference"
        ),
        .testTarget(name: "HealthChecksTests", dependencies: ["HealthChecks"]),
        .testTarget(name: "TraceStorageTests", dependencies: ["TraceStorage", "TelemetryCore"]),
        .testTarget(
            name: "TraceStorageSQLiteTests",
            dependencies: ["TraceStorageSQLite", "TraceStorage", "TelemetryCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "TelemetryExportersTests",
            dependencies: [
                "TelemetryExporters", "TelemetryCore", "TelemetryTracing", "TelemetryHTTPExport", "TelemetryHTTPServer", "JaegerExporter", "OTLPExporter",
                "OTLPGRPC",
            ]
        ),
        .testTarget(
            name: "TelemetryHTTPServerTests",
            dependencies: [
                "TelemetryHTTPServer", "HealthChecks", "CircuitBreakers", "TelemetryTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "TelemetryPipelineTests",
            dependencies: [
                "TelemetryPipeline", "OTLPProtobufReference", "TelemetryTesting", "OTLPExporter", "OTLPGRPC", "TraceStorage",
                "TraceStorageSQLite",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TelemetryLoadgenTests",
            dependencies: ["telemetry-loadgen", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "TelemetryTraceContextServiceTests",
            dependencies: [
                "telemetry-tracecontext-service", "TelemetryCore", "TelemetryTracing", "TelemetryHTTPServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TelemetryDemoTests",
            dependencies: [
                "TelemetryDemo", "TelemetryTesting", "TelemetryTracing", "TelemetryCore", "CircuitBreakers", "HealthChecks", "TelemetryHTTPServer",
                "TelemetryMetrics",
                "ErrorAggregation",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

// Strict settings on every target, from one place.
for target in package.targets where target.type != .plugin && target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .swiftLanguageMode(.v6),
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
    ])
    target.swiftSettings = settings
}

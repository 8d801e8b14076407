// swift-tools-version:6.1
import PackageDescription

// A separate package so the benchmark harness and the peer SDK stay out of the main graph.
let package = Package(
    name: "swift-telemetry-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-telemetry", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
        // The peer we compare against. 1.6.0 does not compile with every trait off (its environment
        // parsing then lacks Foundation), so keep the lightest one, OTLP/HTTP; the cases never export.
        .package(url: "https://github.com/swift-otel/swift-otel.git", exact: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(
            name: "TracingBenchmarks",
            dependencies: [
                .product(name: "TelemetryCore", package: "swift-telemetry"),
                .product(name: "TelemetryTracing", package: "swift-telemetry"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/TracingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ServerBenchmarks",
            dependencies: [
                .product(name: "TelemetryCore", package: "swift-telemetry"),
                .product(name: "TelemetryTracing", package: "swift-telemetry"),
                .product(name: "TelemetryMetrics", package: "swift-telemetry"),
                .product(name: "TelemetryHTTPServer", package: "swift-telemetry"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ServerBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ExportBenchmarks",
            dependencies: [
                .product(name: "TelemetryCore", package: "swift-telemetry"),
                .product(name: "JaegerExporter", package: "swift-telemetry"),
                .product(name: "OTLPExporter", package: "swift-telemetry"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ExportBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ResilienceBenchmarks",
            dependencies: [
                .product(name: "CircuitBreakers", package: "swift-telemetry"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ResilienceBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)

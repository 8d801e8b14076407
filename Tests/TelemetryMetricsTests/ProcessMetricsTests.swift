import Testing

@testable import TelemetryMetrics

@Suite struct ProcessMetricsTests {
    #if os(Linux)
    @Test func readsThisProcessFromProc() throws {
        let metrics = ProcessMetrics.current()
        let resident = try #require(metrics.residentMemoryBytes)
        #expect(resident > 1_000_000)
        let fds = try #require(metrics.openFileDescriptors)
        #expect(fds >= 3)
        let start = try #require(metrics.startTimeSeconds)
        // After 2020 and not in the future by more than a day: catches unit mistakes (ticks vs seconds).
        #expect(start > 1_577_836_800 && start < 4_102_444_800)
        #expect(try #require(metrics.cpuSeconds) >= 0)
        #expect(try #require(metrics.maxFileDescriptors) >= fds)
    }
    #endif

    @Test func statFieldsSkipACommandNameWithSpacesAndParentheses() throws {
        let stat = "4242 (odd (name) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 4 0 12345 1000000 300 18446744073709551615"
        let fields = try #require(ProcessMetrics.statFields(stat))
        #expect(fields[0] == "S")
        #expect(fields[11] == "250")  // utime
        #expect(fields[12] == "50")  // stime
        #expect(fields[19] == "12345")  // starttime
        #expect(fields[20] == "1000000")  // vsize
        #expect(fields[21] == "300")  // rss
    }

    @Test func emitsPrometheusClientNames() {
        let metrics = ProcessMetrics(
            cpuSeconds: 1.5,
            residentMemoryBytes: 2048,
            virtualMemoryBytes: nil,
            openFileDescriptors: 7,
            maxFileDescriptors: 1024,
            startTimeSeconds: 1_700_000_000
        )
        var buffer: [UInt8] = []
        metrics.emit(into: &buffer)
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text.contains("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1.5\n"))
        #expect(text.contains("# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 2048.0\n"))
        #expect(text.contains("process_open_fds 7.0\n"))
        #expect(text.contains("process_start_time_seconds 1700000000.0\n"))
        #expect(!text.contains("process_virtual_memory_bytes"))
    }
}

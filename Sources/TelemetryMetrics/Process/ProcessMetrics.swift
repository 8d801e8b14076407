#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One reading of the standard process metrics, named as Prometheus' own client libraries name them.
///
/// Read from `/proc` at scrape time, so the numbers are current without a background task.
/// On systems without `/proc` every field is `nil` and nothing is exposed.
public struct ProcessMetrics: Sendable, Equatable {
    /// `process_cpu_seconds_total`: user plus system CPU time.
    public var cpuSeconds: Double?
    /// `process_resident_memory_bytes`.
    public var residentMemoryBytes: Double?
    /// `process_virtual_memory_bytes`.
    public var virtualMemoryBytes: Double?
    /// `process_open_fds`.
    public var openFileDescriptors: Double?
    /// `process_max_fds`: the soft limit on open file descriptors.
    public var maxFileDescriptors: Double?
    /// `process_start_time_seconds`: seconds since the Unix epoch.
    public var startTimeSeconds: Double?

    /// Reads the current process' metrics; fields that cannot be read stay `nil`.
    public static func current() -> ProcessMetrics {
        var metrics = ProcessMetrics()
        #if os(Linux)
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let stat = ProcFile.contents(of: "/proc/self/stat"), let fields = Self.statFields(stat), fields.count > 21, ticks > 0 {
            if let utime = Double(fields[11]), let stime = Double(fields[12]) {
                metrics.cpuSeconds = (utime + stime) / ticks
            }
            metrics.virtualMemoryBytes = Double(fields[20])
            metrics.residentMemoryBytes = Double(fields[21]).map { $0 * pageSize }
            if let startTicks = Double(fields[19]), let bootTime = Self.bootTime() {
                metrics.startTimeSeconds = bootTime + startTicks / ticks
            }
        }
        metrics.openFileDescriptors = ProcFile.countEntries("/proc/self/fd").map(Double.init)
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            metrics.maxFileDescriptors = Double(limit.rlim_cur)
        }
        #endif
        return metrics
    }

    /// The fields of `/proc/self/stat` after the command name, starting at field 3 (`state`).
    ///
    /// The command name sits in parentheses and may itself hold spaces and parentheses, so
    /// the split starts after the last `)`.
    static func statFields(_ stat: String) -> [Substring]? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
    }

    static func bootTime() -> Double? {
        guard let stat = ProcFile.contents(of: "/proc/stat") else { return nil }
        for line in stat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count).trimmingPrefix(" "))
        }
        return nil
    }
}

extension ProcessMetrics {
    /// Appends the available metrics, each with `# HELP` and `# TYPE`, in text format 0.0.4.
    public func emit(into buffer: inout [UInt8]) {
        func line(_ name: String, _ type: String, _ help: String, _ value: Double?) {
            guard let value else { return }
            buffer.append(contentsOf: "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n".utf8)
        }
        line("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", cpuSeconds)
        line("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", residentMemoryBytes)
        line("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", virtualMemoryBytes)
        line("process_open_fds", "gauge", "Number of open file descriptors.", openFileDescriptors)
        line("process_max_fds", "gauge", "Maximum number of open file descriptors.", maxFileDescriptors)
        line("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", startTimeSeconds)
    }
}

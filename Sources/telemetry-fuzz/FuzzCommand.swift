import Foundation

#if TELEMETRY_FUZZING
import CLibFuzzer
#endif

/// `telemetry-fuzz TARGET [INPUT...]`: one binary for every fuzz target.
///
/// Built by `scripts/fuzz.sh` with `-sanitize=fuzzer,address -DTELEMETRY_FUZZING`, it hands
/// the arguments after the target's name to libFuzzer (corpus directories, `-max_total_time=…`).
/// Built plainly, as `swift build` builds every executable, it replays inputs instead: each
/// file named (or each file in a directory named) runs through the target once, which
/// reproduces a finding without the sanitizer build.
@main
enum FuzzCommand {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else { usage(exitCode: 2) }
        if arguments[1] == "--list" {
            for target in FuzzTarget.all { print("\(target.name)\t\(target.summary)") }
            return
        }
        guard let target = FuzzTarget.named(arguments[1]) else { usage(exitCode: 2) }
        selected = target
        #if TELEMETRY_FUZZING
        exit(runLibFuzzer(arguments: [arguments[0]] + arguments.dropFirst(2)))
        #else
        exit(replay(target, paths: Array(arguments.dropFirst(2))))
        #endif
    }

    private static func usage(exitCode: Int32) -> Never {
        var text = "usage: telemetry-fuzz --list | TARGET [FILE|DIRECTORY|libFuzzer flag]...\ntargets:\n"
        for target in FuzzTarget.all { text += "  \(target.name)\t\(target.summary)\n" }
        FileHandle.standardError.write(Data(text.utf8))
        exit(exitCode)
    }

    /// Runs every file in `paths` (directories: the files directly in them) through `target`.
    private static func replay(_ target: FuzzTarget, paths: [String]) -> Int32 {
        var inputs = 0
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("telemetry-fuzz: no such file or directory: \(path)\n".utf8))
                return 1
            }
            let files =
                isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                data.withUnsafeBytes { target.run($0) }
                inputs += 1
            }
        }
        print("\(target.name): replayed \(inputs) inputs")
        return 0
    }
}

/// The target libFuzzer's callback runs: set once, before the driver starts, and only read after.
nonisolated(unsafe) private var selected: FuzzTarget?

#if TELEMETRY_FUZZING
private func runLibFuzzer(arguments: [String]) -> Int32 {
    var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    return cArguments.withUnsafeMutableBufferPointer { buffer in
        var argc = Int32(arguments.count)
        var argv = buffer.baseAddress
        return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            selected!.run(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
    }
}
#endif

/// One decoder of untrusted input, driven with arbitrary bytes.
struct FuzzTarget: Sendable {
    /// The name on the command line and of the seed corpus folder, `Fuzz/Corpus/<name>`.
    let name: String
    /// The entry point the bytes reach.
    let summary: String
    /// Runs one input. A decoder's error is an answer, not a finding: only traps, memory errors,
    /// leaks, hangs and broken invariants (checked with `precondition`) are.
    let run: @Sendable (UnsafeRawBufferPointer) -> Void

    /// Every target. Adding one is a file under `Targets/` with a `static let` and one line here;
    /// `scripts/fuzz.sh` asks the binary for this list.
    static let all: [FuzzTarget] = [
        .otlpProtobuf, .otlpJSON, .jaegerThrift, .gzip, .pipelineYAML, .w3cHeaders, .zipkinJSON, .zipkinProtobuf, .snappy,
    ]

    static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}

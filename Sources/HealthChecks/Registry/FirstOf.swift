import Synchronization

/// Runs a body and a fallback in unstructured tasks and returns whichever answers first.
///
/// Structured concurrency would wait for the loser to finish; a health check stuck in a call
/// that ignores cancellation would then hang the caller. Here the loser is cancelled and
/// left to finish on its own.
final class FirstOf<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, Never>?
        var tasks: [Task<Void, Never>] = []
        var done = false
    }

    private let state = Mutex(State())

    private init() {}

    static func race(
        _ body: @escaping @Sendable () async -> Value,
        fallback: @escaping @Sendable () async -> Value?,
        whenCancelled cancelled: Value
    ) async -> Value {
        let race = FirstOf<Value>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let alreadyDone = race.state.withLock { state -> Bool in
                    state.continuation = continuation
                    return state.done
                }
                // Cancelled before the continuation existed: answer at once.
                if alreadyDone {
                    race.state.withLock { $0.continuation = nil }
                    continuation.resume(returning: cancelled)
                    return
                }
                let first = Task { race.finish(await body()) }
                let second = Task {
                    if let value = await fallback() { race.finish(value) }
                }
                race.track([first, second])
            }
        } onCancel: {
            race.finish(cancelled)
        }
    }

    private func track(_ tasks: [Task<Void, Never>]) {
        let cancelNow = state.withLock { state -> Bool in
            state.tasks = tasks
            return state.done
        }
        if cancelNow { tasks.forEach { $0.cancel() } }
    }

    private func finish(_ value: Value) {
        let (continuation, tasks) = state.withLock { state -> (CheckedContinuation<Value, Never>?, [Task<Void, Never>]) in
            guard !state.done else { return (nil, []) }
            state.done = true
            defer { state.continuation = nil }
            return (state.continuation, state.tasks)
        }
        continuation?.resume(returning: value)
        tasks.forEach { $0.cancel() }
    }
}

import Logging
import Synchronization
import TelemetryCore

extension ExporterWorker {
    /// Sends one request, retrying retryable failures on `retry_on_failure`'s schedule.
    ///
    /// A request ends delivered, or dropped and counted by reason: `permanent_error` (the
    /// backend refused it for good), `retries_exhausted` (`max_elapsed_time` passed, or
    /// retries are off), or `shutdown`. A request that holds journal records and is cut short
    /// by shutdown is not dropped: its records stay in the journal and are replayed.
    func send(_ request: SendingQueue.Request) async {
        let schedule = RetrySchedule(delivery.retry)
        let started = ContinuousClock.now
        var retries = 0
        while true {
            let failure: ExportFailure
            let error: any Error
            do {
                switch request.payload {
                case .spans(let spans): try await exporter.export(spans)
                case .encoded(let bodies, let encoder): try await encoder.export(encoded: bodies)
                }
                metrics.sent.add(Double(request.spanCount), ["\(id)"])
                request.hold?.release()
                return
            } catch let caught {
                failure = ExportFailure(caught)
                error = caught
            }
            var reason: DropReason?
            switch failure {
            case .permanent:
                reason = .permanentError
            case .shutdown:
                reason = .shutdown
            case .retryable(let retryAfter):
                if !delivery.retry.enabled {
                    reason = .retriesExhausted
                } else if stopping.load(ordering: .relaxed) {
                    reason = .shutdown
                } else {
                    let delay = schedule.delay(beforeRetry: retries + 1, random: random(), retryAfter: retryAfter)
                    if schedule.givesUp(elapsed: started.duration(to: .now), delay: delay) {
                        reason = .retriesExhausted
                    } else {
                        logger.debug(
                            "export failed, retrying",
                            metadata: [
                                "exporter": "\(id)", "retry": "\(retries + 1)", "delay": "\(delay)", "error": "\(error)",
                            ])
                        if await sleepUnlessStopping(delay) {
                            retries += 1
                            metrics.exporterRetries.add(1, ["\(id)"])
                            continue
                        }
                        reason = .shutdown
                    }
                }
            }
            guard let reason else { continue }
            if retired.load(ordering: .sequentiallyConsistent), let reroute, case .spans(let spans) = request.payload {
                // The backend was removed: another one takes the spans.
                reroute(spans)
                request.hold?.release()
                return
            }
            if reason == .shutdown, request.hold != nil {
                logger.info("export cut short by shutdown; the journal keeps the spans", metadata: ["exporter": "\(id)", "spans": "\(request.spanCount)"])
                return
            }
            metrics.failed.add(Double(request.spanCount), ["\(id)"])
            drop(request.spanCount, reason)
            request.hold?.release()
            logger.warning(
                "export failed, dropping",
                metadata: [
                    "exporter": "\(id)", "spans": "\(request.spanCount)", "reason": "\(reason.rawValue)", "retries": "\(retries)",
                    "error": "\(error)",
                ])
            return
        }
    }

    /// Sleeps for `delay` in short steps; `false` as soon as shutdown begins.
    private func sleepUnlessStopping(_ delay: Duration) async -> Bool {
        await sleep(for: delay, unless: { self.stopping.load(ordering: .relaxed) })
    }
}

/// Sleeps for `duration` in steps of at most 100 ms; `false` as soon as `stopped()` is true
/// or the task is cancelled, `true` after the whole duration.
func sleep(for duration: Duration, unless stopped: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + duration
    while ContinuousClock.now < deadline {
        if stopped() { return false }
        let step = min(.milliseconds(100), ContinuousClock.now.duration(to: deadline))
        do { try await Task.sleep(for: step) } catch { return false }
    }
    return !stopped()
}

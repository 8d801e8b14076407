# Helpers the interop checks share; sourced, never run as a check (.ci/run runs only
# .ci/interop/*.sh). Each check keeps its own `pids` array and cleanup trap.

# A free TCP port on loopback.
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# wait_for URL SECONDS: polls URL every 0.1 s until it answers 2xx; fails after SECONDS.
wait_for() {
  for _ in $(seq $(( $2 * 10 ))); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}

# Stops every process in the caller's `pids` array and waits for them.
stop_pids() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

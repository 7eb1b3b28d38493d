#!/usr/bin/env bash
# What one server spends per delivered message in one fan-out window: starts the server, runs the load tool
# against it with its pid (CPU from /proc, system calls from perf's tracepoints), prints the load tool's
# result row, its "window:" line (what the window's messages owed and how many arrived) and its "server-cost per
# delivery" line, and stops the server.
# Usage: benchmarks/fanout-cost.sh SERVER [load-tool options, e.g. --subscribers 1000 --inflight 16 --seconds 10]
#   SERVER: nats, or the path of a benchmarks jar whose BenchServer is measured (in memory), or
#           demo:JAR to measure the demo server jar (durable SQLite history, as a user runs it).
# The load tool itself always comes from benchmarks/target/benchmarks.jar, so A/B runs differ in the server only.
# Needs: nats-server and linux-perf (Debian packages), root or perf_event_paranoid <= 1 for perf.
# SERVER_CPUS and TOOL_CPUS (taskset CPU lists, e.g. 0 and 1) pin the server and the load tool apart, so that
# the tool's own work does not share the server's cores.
# SERVER_JAVA_OPTS adds JVM options to a Java server only (JAVA_TOOL_OPTIONS would reach the load tool too).
set -euo pipefail
cd "$(dirname "$0")/.."
server=$1; shift
tool=benchmarks/target/benchmarks.jar
out=$(mktemp -d)
pin_server=(); pin_tool=()
[ -n "${SERVER_CPUS:-}" ] && pin_server=(taskset -c "$SERVER_CPUS")
[ -n "${TOOL_CPUS:-}" ] && pin_tool=(taskset -c "$TOOL_CPUS")
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$out"; }
trap cleanup EXIT
# Below the kernel's ephemeral range (32768 and up by default), where the last run's client sockets, still in
# TIME_WAIT, would make the bind fail now and then.
port=$((20000 + RANDOM % 12000))
case "$server" in
  nats)
    sed "s/18091/$port/; s/^port: .*/port: $((port + 1))/" benchmarks/nats.conf > "$out/nats.conf"
    "${pin_server[@]}" nats-server -c "$out/nats.conf" > "$out/server.log" 2>&1 & pid=$!
    for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
    args=(--target nats --url ws://127.0.0.1:$port) ;;
  demo:*)
    "${pin_server[@]}" java -Xmx1g ${SERVER_JAVA_OPTS:-} -jar "${server#demo:}" --port "$port" --data-dir "$out/data" --devices 0 --max-connections-per-address 20000 > "$out/server.log" 2>&1 & pid=$!
    for _ in $(seq 100); do grep -q "API key:" "$out/server.log" 2>/dev/null && break; sleep 0.2; done
    key=$(grep -o 'stk_[A-Za-z0-9_-]*' "$out/server.log" | head -1)
    args=(--target streams --url ws://127.0.0.1:$port --api-key "$key" --metrics http://127.0.0.1:$port/metrics) ;;
  *)
    "${pin_server[@]}" java -Xmx1g ${SERVER_JAVA_OPTS:-} -cp "$server" dev.streams.benchmarks.BenchServer "$port" > "$out/server.log" 2>&1 & pid=$!
    for _ in $(seq 100); do grep -q '^key ' "$out/server.log" 2>/dev/null && break; sleep 0.2; done
    key=$(awk '/^key /{print $2}' "$out/server.log")
    args=(--target streams --url ws://127.0.0.1:$port --api-key "$key" --metrics http://127.0.0.1:$port/metrics) ;;
esac
# Bounded: a run that cannot finish (a server that stopped answering) must not hold the next rounds.
# A run without a result row says why: the tool's last lines and the server's.
status=0
# The tool's young generation is large enough that it rarely collects in a window: its own collection pauses
# (15-45 ms with the serial collector the JVM picks on one core) would show up as the server's latency.
timeout 600 "${pin_tool[@]}" java -Xmx2g -Xmn1g -cp "$tool" dev.streams.benchmarks.load.LoadTool "${args[@]}" --pid "$pid" --out "$out" "$@" \
  > "$out/tool.log" 2>&1 || status=$?
if grep -E '^\| 20|^window:|^server-cost' "$out/tool.log"; then
  exit 0
fi
echo "no result (load tool exit status $status); its last lines:" >&2
tail -20 "$out/tool.log" >&2
echo "the server's last lines:" >&2
tail -20 "$out/server.log" >&2
exit 1

#!/usr/bin/env bash
# Runs one load scenario against nats-server and against Streams, back to back, on this machine's loopback,
# and prints both result rows and the ratio of delivered messages per second.
# Usage: benchmarks/compare.sh [load-tool options, e.g. --subscribers 1000 --rate 200 --seconds 10]
# Needs: nats-server (Debian package nats-server) and benchmarks/target/benchmarks.jar (mvn -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
out=${OUT:-benchmarks/results}
mkdir -p "$out"
[ -f "$jar" ] || mvn -q -B -DskipTests package
command -v nats-server >/dev/null || { echo "install nats-server first (apt-get install nats-server)"; exit 2; }

cleanup() { kill "${nats_pid:-}" "${streams_pid:-}" 2>/dev/null || true; }
trap cleanup EXIT

nats-server -c benchmarks/nats.conf > "$out/nats-server.log" 2>&1 & nats_pid=$!
java -Xmx4g -cp "$jar" dev.streams.benchmarks.BenchServer 18090 > "$out/streams-server.log" 2>&1 & streams_pid=$!
for _ in $(seq 50); do grep -q '^key ' "$out/streams-server.log" 2>/dev/null && break; sleep 0.2; done
key=$(awk '/^key /{print $2}' "$out/streams-server.log")

# A large young generation: the tool's own collection pauses would otherwise count as the servers' latency.
run() { java -Xmx4g -Xmn2g -cp "$jar" dev.streams.benchmarks.load.LoadTool --out "$out" "$@" | grep -v SLF4J; }
nats_row=$(run --target nats --url ws://127.0.0.1:18091 "$@" | tail -1)
streams_row=$(run --target streams --url ws://127.0.0.1:18090 --api-key "$key" "$@" | tail -1)
echo "| date | target | subscribers | size | rate | published | delivered/s | lost | p50 us | p99 us | p999 us | conn/s |"
echo "$nats_row"
echo "$streams_row"
rate() { echo "$1" | awk -F'|' '{gsub(/[ ,]/, "", $8); print $8}'; }
awk -v s="$(rate "$streams_row")" -v n="$(rate "$nats_row")" 'BEGIN { printf "streams/nats delivered per second: %.2f\n", s / n }'

#!/usr/bin/env bash
# The protocol comparison at an equal core budget: the silo pinned to the server cores, the load
# generator (HTTP JSON/binary, gRPC, .NET client) pinned to the client cores in its own process, and
# raw ONNX Runtime measured pinned to the server cores. Usage:
#   tests/Cluster.Benchmarks/protocols-split-cores.sh [server cores] [client cores] [seconds per cell] [report file]
# (defaults 0, 1, 5; on a 16-core machine e.g. 0-7 8-15). SILO_ARGS adds silo settings, e.g.
# SILO_ARGS=--Dashboard:Enabled=false. TARGET="http binary" drives that protocol alone for the
# whole time (no raw rounds), e.g. to profile the silo meanwhile ("http json doubles": JSON as Python writes a float32 array's tolist(), nested, 17 digits a number; "http live" and "grpc live": the liveness probe, each stack's floor with no inference; "http2 binary" and "http2 live": REST over HTTP/2 to the gRPC port). SETTLE=seconds (20) drives every
# protocol at full load before any measuring (a fresh silo's JIT takes a minute or more to settle on
# one core); WARMUP=seconds (5) is each cell's own uncounted warm-up; SILO_ENV="NAME=value ..." sets environment variables for the silo alone.
# SILO_DLL=path runs another build of the silo (e.g. an older commit's, built in a second worktree) under the same load, for before/after tables.
# RUN=observability measures prediction capture (fraction 1.0) and tracing (ratio 1.0, exported over OTLP) against a
# baseline on the same silo instead of the protocols (ObservabilityCost.cs; TARGET="baseline,capture 1.0" alternates only the arms
# listed, ROUNDS=n runs n rounds instead of 12: short cells and many rounds for a close look at one cost); RUN=floor raw ONNX Runtime, bare servers (a socket with
# no protocol; Kestrel, binary over HTTP/1.1 and HTTP/2, JSON by System.Text.Json and by the silo's reader, and with the classifier every
# request captured, and its tensors written raw to disk: "bare http/1.1 disk write") and the silo's matching paths (FloorCost.cs), TARGET="bare http/2,silo http/2" alternating only the parties
# listed; RUN=statistics the model with statistics and drift
# on against "statistics": false (StatisticsSplitCost.cs). MODEL=tiny measures the built-in MLP instead of
# the classifier: ONNX Runtime's share is a few microseconds, so the silo's CPU per request is the serving path's fixed cost.
set -euo pipefail
cd "$(dirname "$0")/../.."
server=${1:-0}
client=${2:-1}
seconds=${3:-5}
out=${4:-}
# The ports the load generator expects (SplitCores.cs, ObservabilityCost.SinkPort). A silo or collector left from an earlier
# run still holding one made the new silo abort at start, which read as a failed run.
http_port=18080 grpc_port=18081 silo_port=21111 gateway_port=40000 otlp_port=14317
for port in $http_port $grpc_port $silo_port $gateway_port $otlp_port; do
  if ss -Hltn "sport = :$port" | grep -q .; then
    echo "port $port is in use (a benchmark or silo still running?): $(ss -Hltnp "sport = :$port" | head -1)" >&2
    exit 1
  fi
done
dotnet build -c Release tests/Cluster.Benchmarks -v q -nologo >/dev/null
bench=tests/Cluster.Benchmarks/bin/Release/net10.0/linux-x64/Cluster.Benchmarks
repo=$(mktemp -d)
log=$(mktemp)
captures=$(mktemp -d)
run_args=(--model "${MODEL:-cls}")
silo_run_args=()
if [ "${RUN:-}" = observability ]; then
  run_args+=(--observability)
  silo_run_args=(--Telemetry:OtlpEndpoint=http://127.0.0.1:$otlp_port --Telemetry:SampleRatio=1 --Capture:Directory="$captures")
  # Spans leave every 0.5 s instead of OpenTelemetry's 5 s, so their export is paid within the traced arm's own rounds.
  export OTEL_BSP_SCHEDULE_DELAY=500
elif [ "${RUN:-}" = statistics ]; then
  run_args+=(--statistics)
elif [ "${RUN:-}" = floor ]; then
  run_args+=(--floor)
  silo_run_args=(--Capture:Directory="$captures")
fi
"$bench" --write-repository "$repo" "${run_args[@]}"
# ONNX Runtime's default pool pins one thread per core of the machine, outside taskset's cores; size it to the server cores.
threads=$(taskset -c "$server" nproc)
# The silo runs as deploy/Dockerfile and `dotnet run` start it (Silo/Hosting/YoungGenerationCheck.cs); SILO_ENV may override.
env DOTNET_GCgen0size=0x2000000 ${SILO_ENV:-} taskset -c "$server" dotnet "${SILO_DLL:-Silo/bin/Release/net10.0/linux-x64/Cluster.Silo.dll}" \
  --Gateway:Urls=http://127.0.0.1:$http_port --Gateway:GrpcUrls=http://127.0.0.1:$grpc_port --Silo:SiloPort=$silo_port --Silo:GatewayPort=$gateway_port \
  --Models:Repository="$repo" --Models:WriteDemoModel=false --Inference:Device=cpu --Inference:IntraOpThreads="$threads" --Logging:LogLevel:Default=Warning "${silo_run_args[@]}" ${SILO_ARGS:-} >"$log" 2>&1 &
silo=$!
trap 'kill "$silo" 2>/dev/null; wait "$silo" 2>/dev/null; rm -rf "$repo" "$log" "$captures"' EXIT
taskset -c "$client" "$bench" --external "$server" --silo-pid "$silo" --seconds "$seconds" ${out:+--out "$out"} ${TARGET:+--target "$TARGET"} --warmup "${WARMUP:-5}" ${ROUNDS:+--rounds "$ROUNDS"} --settle "${SETTLE:-20}" "${run_args[@]}"

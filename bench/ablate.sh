#!/usr/bin/env bash
# What each caching or batching layer buys: serves innograph's handler
# (bench/cmd/ablate) with all layers, without the result cache, and without
# the cache and one more layer (the cache answers every repeat and would
# hide the others), over the bench Neo4j a `make bench-quick` left running
# (BENCH_KEEP_NEO4J=1); measures the shapes the layers serve, innograph
# only, one run after the other. Results: $OUT/<layers>/latest.md and
# $OUT/summary.md.
#
#   BENCH_BOLT_PORT=7689 BENCH_ABLATE_PORT=18083 bench/ablate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BOLT=bolt://127.0.0.1:${BENCH_BOLT_PORT:-7689}
PORT=${BENCH_ABLATE_PORT:-18083}
OUT=${BENCH_ABLATE_OUT:-bench/results/ablate}
DATA=bench/data/${BENCH_ABLATE_SIZE:-10000}-seed${BENCH_SEED:-1}
SHAPES=${BENCH_ABLATE_SHAPES:-lookup,nested,search,fundings,list}
mkdir -p bin "$OUT"
go build -o bin/ablate ./bench/cmd/ablate
go build -o bin/loadgen ./bench/cmd/loadgen
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; true' EXIT
for layer in ${BENCH_ABLATE_RUNS:-nothing cache cache,coalescing cache,trees}; do
  NEO4J_URI=$BOLT PORT=$PORT bin/ablate -without "$layer" >"$OUT/$layer.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 60); do grep -q "ready at" "$OUT/$layer.log" && break; sleep 0.5; done
  mkdir -p "$OUT/$layer"
  bin/loadgen -data "$DATA" -out "$OUT/$layer" -bolt "$BOLT" -innograph "http://127.0.0.1:$PORT/graphql" \
    -systems innograph -shapes "$SHAPES" -c 1,32 -d 3s -warmup 1s -n 5000 >/dev/null
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
done
{
  echo "| shape | c | all layers: req/s, p50 ms | without the result cache (÷ all layers) | without cache and coalescing (÷ without cache) | without cache and trees (÷ without cache) |"
  echo "|---|---:|---|---|---|---|"
  python3 - "$OUT" <<'PY'
import json, sys, os
out = sys.argv[1]
rows = {}
for layer in ["nothing", "cache", "cache,coalescing", "cache,trees"]:
    for r in json.load(open(os.path.join(out, layer, "latest.json"))):
        rows[(layer, r["shape"], r["concurrency"])] = r
def cell(o, base):
    if not o or not base:
        return ""
    return "%.0f req/s (%.2f×), p50 %.2f ms, p99 %.2f ms" % (o["rps"], o["rps"] / base["rps"], o["p50_ms"], o["p99_ms"])
for (layer, shape, c), r in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][2])):
    if layer != "nothing":
        continue
    nocache = rows.get(("cache", shape, c))
    print("| %s | %d | %.0f req/s, p50 %.2f ms | %s | %s | %s |" % (shape, c, r["rps"], r["p50_ms"], cell(nocache, r),
        cell(rows.get(("cache,coalescing", shape, c)), nocache), cell(rows.get(("cache,trees", shape, c)), nocache)))
PY
} >"$OUT/summary.md"
cat "$OUT/summary.md"

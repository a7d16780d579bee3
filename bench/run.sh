#!/usr/bin/env bash
# innograph benchmark: innograph vs @neo4j/graphql vs raw Cypher on one Neo4j.
#
#   BENCH_MODE=quick BENCH_SIZES="10000" bench/run.sh     (make bench-quick)
#   BENCH_MODE=full  BENCH_SIZES="10000 100000" bench/run.sh (make bench)
#
# Starts a separate local Neo4j (instance "bench", Bolt 7689), generates and
# bulk-loads each size (reused when already loaded), starts innograph on
# 18080 and the @neo4j/graphql server on 18081, runs the Go load driver, and
# writes bench/results/latest.{json,md}. Servers it started are stopped on
# exit, and so is the bench Neo4j unless BENCH_KEEP_NEO4J=1.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${BENCH_MODE:-quick}
SIZES=${BENCH_SIZES:-10000}
SEED=${BENCH_SEED:-1}
export NEO4J_INSTANCE=bench NEO4J_BOLT_PORT=${BENCH_BOLT_PORT:-7689}
export NEO4J_HEAP=${BENCH_NEO4J_HEAP:-3g} NEO4J_PAGECACHE=${BENCH_NEO4J_PAGECACHE:-7g}
# The same 8 s server-side limit for every system: innograph and the cypher
# floor set it per transaction; @neo4j/graphql sets none, and without this its
# abandoned queries kept running for minutes and slowed every later cell.
export NEO4J_LOCAL_TX_TIMEOUT=${BENCH_TX_TIMEOUT:-8s}
BOLT=bolt://127.0.0.1:$NEO4J_BOLT_PORT
IG_PORT=${BENCH_INNOGRAPH_PORT:-18080}
NG_PORT=${BENCH_NEO4J_GRAPHQL_PORT:-18081}
CH_PORT=${BENCH_CYPHER_HTTP_PORT:-18082}
# A server already listening on either port would answer in place of the one
# this script starts, which then fails to bind: refuse rather than measure it.
for port in "$IG_PORT" "$NG_PORT" "$CH_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench: port $port is already in use; stop whatever listens there (ss -ltnp | grep :$port) or set BENCH_INNOGRAPH_PORT / BENCH_NEO4J_GRAPHQL_PORT / BENCH_CYPHER_HTTP_PORT" >&2
    exit 1
  fi
done
OUT=${BENCH_OUT:-bench/results}
case $MODE in
  quick) LOAD_ARGS=(-c 1,8,32,64 -d 3s -warmup 1s -n 5000) ;;
  full)  LOAD_ARGS=(-c 1,8,32,64 -d 10s -warmup 3s -n 50000) ;;
  *) echo "BENCH_MODE must be quick or full" >&2; exit 2 ;;
esac

BIN=bin/innograph
mkdir -p bin "$OUT" bench/data
go build -o "$BIN" ./cmd/innograph
# BENCH_INNOGRAPH_BIN serves another build of innograph (an earlier commit's,
# for a before/after pair measured back to back); bin/innograph still runs
# Neo4j and the bulk load.
IG_BIN=${BENCH_INNOGRAPH_BIN:-$BIN}
go build -o bin/loadgen ./bench/cmd/loadgen
go build -o bin/cypherhttp ./bench/cmd/cypherhttp

IG_PID= NG_PID= CH_PID=
cleanup() {
  [ -n "$CH_PID" ] && kill "$CH_PID" 2>/dev/null && wait "$CH_PID" 2>/dev/null || true
  [ -n "$IG_PID" ] && kill "$IG_PID" 2>/dev/null && wait "$IG_PID" 2>/dev/null || true
  [ -n "$NG_PID" ] && kill "$NG_PID" 2>/dev/null && wait "$NG_PID" 2>/dev/null || true
  if [ "${BENCH_KEEP_NEO4J:-0}" != 1 ]; then "$BIN" neo4j stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# A bench Neo4j left running (BENCH_KEEP_NEO4J=1, or started by hand) may lack
# this run's settings, the transaction timeout above all: without it, the
# @neo4j/graphql server's abandoned queries filled Neo4j's transaction memory
# and failed the later cells of every system. So it is restarted.
"$BIN" neo4j stop >/dev/null 2>&1 || true
"$BIN" neo4j start >/dev/null

if [ ! -d bench/neo4j-graphql/node_modules ]; then
  (cd bench/neo4j-graphql && npm ci --no-audit --no-fund --loglevel=error)
fi

wait_http() { # url what pid
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { echo "$2 exited; see its log in $OUT/*.log.tmp" >&2; return 1; }
    sleep 0.5
  done
  echo "$2 did not come up" >&2; return 1
}

# BENCH_APPEND=1 keeps the rows of sizes measured by earlier runs in latest.json.
first=1
[ "${BENCH_APPEND:-0}" = 1 ] && first=0
for n in $SIZES; do
  dir=bench/data/$n-seed$SEED
  [ -f "$dir/manifest.json" ] || "$BIN" generate --entities "$n" --seed "$SEED" --out "$dir"
  NEO4J_URI=$BOLT NEO4J_USER= LOG_LEVEL=warn "$BIN" bulkload --wipe --reuse --warm "$dir"

  NEO4J_URI=$BOLT NEO4J_USER= PORT=$IG_PORT LOG_LEVEL=warn PLAYGROUND=false "$IG_BIN" serve >"$OUT/innograph.log.tmp" 2>&1 &
  IG_PID=$!
  NEO4J_URI=$BOLT PORT=$NG_PORT node bench/neo4j-graphql/server.mjs >"$OUT/neo4j-graphql.log.tmp" 2>&1 &
  NG_PID=$!
  NEO4J_URI=$BOLT PORT=$CH_PORT bin/cypherhttp >"$OUT/cypher-http.log.tmp" 2>&1 &
  CH_PID=$!
  wait_http "http://127.0.0.1:$IG_PORT/readyz" innograph "$IG_PID"
  for _ in $(seq 1 120); do
    grep -q "ready at" "$OUT/neo4j-graphql.log.tmp" && break
    kill -0 "$NG_PID" 2>/dev/null || { cat "$OUT/neo4j-graphql.log.tmp" >&2; exit 1; }
    sleep 0.5
  done

  for _ in $(seq 1 120); do
    grep -q "ready at" "$OUT/cypher-http.log.tmp" && break
    kill -0 "$CH_PID" 2>/dev/null || { cat "$OUT/cypher-http.log.tmp" >&2; exit 1; }
    sleep 0.5
  done

  append=()
  [ $first = 1 ] || append=(-append)
  bin/loadgen -data "$dir" -out "$OUT" -bolt "$BOLT" \
    -innograph "http://127.0.0.1:$IG_PORT/graphql" -neo4j-graphql "http://127.0.0.1:$NG_PORT/" -cypher-http "http://127.0.0.1:$CH_PORT" \
    -innograph-pid "$IG_PID" -neo4j-graphql-pid "$NG_PID" "${append[@]}" "${LOAD_ARGS[@]}" >/dev/null
  first=0

  kill "$IG_PID" "$NG_PID" "$CH_PID" 2>/dev/null || true
  wait "$IG_PID" "$NG_PID" "$CH_PID" 2>/dev/null || true
  IG_PID= NG_PID= CH_PID=
done

# Rewrite each size's report now that every size has run (the scale ratios
# compare with the smallest size's final run), then latest.md: every size's
# report, smallest first.
bin/loadgen -rereport -out "$OUT"
# With BENCH_APPEND=1, latest.json keeps the other sizes' rows, so latest.md
# shows every size on record; otherwise only the sizes of this run.
: >"$OUT/latest.md"
for f in $(for f in "$OUT"/run-*.md; do
             n=$(grep -o "graph: [0-9]* entities" "$f" | grep -o "[0-9]*" || true)
             [ -n "$n" ] || continue
             if [ "${BENCH_APPEND:-0}" = 1 ] || [[ " $SIZES " == *" $n "* ]]; then echo "$n $f"; fi
           done | sort -n | cut -d' ' -f2); do
  cat "$f" >>"$OUT/latest.md"; echo >>"$OUT/latest.md"
done
cat "$OUT/latest.md"

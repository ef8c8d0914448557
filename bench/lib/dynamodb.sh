# Sourced by the bench/ scripts that need DynamoDB: starts DynamoDB Local in memory on a free
# loopback port (its classpath resolved by Maven once, into bench/work/dynamodb/ddb-local.cp), and,
# when $latency > 0, bench/src/DelayProxy.java in front of it (compiled into $work/classes), each
# request $latency ms late, or, when $discard is set, bench/src/DiscardingProxy.java, which answers
# the writes of rows itself and drops them, keeping their keys (of attribute id) for a scan (the
# memory sweep's largest files); $items_url then answers how many it dropped and scanned. Sets
# $endpoint and $port (DynamoDB Local's own port), exports the credentials and region the benches
# use, and stops all at exit. Needs $repo, $work, $latency and $ddb_heap (e.g. 2g).
ddb_cp="$repo/bench/work/dynamodb/ddb-local.cp"
if [ ! -f "$ddb_cp" ]; then
  mkdir -p "$(dirname "$ddb_cp")"
  (cd "$repo" && mvn -q -B dependency:build-classpath -pl aws -Dmdep.includeScope=test \
    -Dmdep.outputFile="$ddb_cp" >/dev/null)
fi
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" "$repo/bench/src/DelayProxy.java" "$repo/bench/src/DiscardingProxy.java"

wait_port() { # PORT PID WHAT: until PORT accepts connections; fails when PID ends or after 60 s
  local tries=0
  until (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; do
    kill -0 "$2" 2>/dev/null && [ $tries -lt 300 ] || { echo "$3 did not start" >&2; exit 1; }
    tries=$((tries + 1)); sleep 0.2
  done
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# What is already set to run at exit (bench/lib/postgres.sh's stop) still runs after the stops below.
eval "ddb_exit_before=$(trap -p EXIT | sed -e 's/^trap -- //' -e 's/ EXIT$//')"
ddb_pids=""
stop_at_exit() { # PID
  ddb_pids+=" $1"
  # shellcheck disable=SC2064 # the process ids are known now
  trap "kill$ddb_pids 2>/dev/null || true; $ddb_exit_before" EXIT
}

port=$(free_port)
# Warnings only: the Logback on its class path would otherwise log every request at DEBUG.
DDB_LOCAL_TELEMETRY=0 java "-Xmx$ddb_heap" -Dlogback.configurationFile="$repo/bench/lib/dynamodb-logback.xml" \
  -cp "$(cat "$ddb_cp")" \
  software.amazon.dynamodb.services.local.main.ServerRunner -inMemory -port "$port" -disableTelemetry \
  >"$work/dynamodb-local.log" 2>&1 &
ddb=$!
stop_at_exit $ddb
wait_port "$port" $ddb "DynamoDB Local ($work/dynamodb-local.log)"
endpoint="http://127.0.0.1:$port"
start_proxy() { # WHAT CLASS ARGS...: the proxy on a free port in front of DynamoDB Local, as $endpoint
  local what=$1 class=$2 proxy_port
  shift 2
  proxy_port=$(free_port)
  # TCP_NODELAY on the discarding proxy's HTTP server: else each answer waits for a delayed ACK.
  java -Dsun.net.httpserver.nodelay=true -cp "$work/classes" "$class" "$proxy_port" "$port" "$@" \
    >"$work/proxy.log" 2>&1 &
  proxy=$!
  stop_at_exit $proxy
  wait_port "$proxy_port" $proxy "the $what ($work/proxy.log)"
  endpoint="http://127.0.0.1:$proxy_port"
}
if [ "$latency" -gt 0 ]; then
  start_proxy "delay proxy" DelayProxy "$latency"
fi
if [ -n "${discard:-}" ]; then
  start_proxy "discarding proxy" DiscardingProxy bucketload_ledger id
  items_url="$endpoint/__items"
fi
export AWS_ACCESS_KEY_ID=benchKey AWS_SECRET_ACCESS_KEY=benchSecret AWS_REGION=us-east-1

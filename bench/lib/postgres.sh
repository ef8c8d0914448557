# Sourced by the bench/ scripts that need PostgreSQL: starts a throwaway server (initdb into a new
# temporary folder, trust authentication, 127.0.0.1 on a random port from 20000 to 39999), creates
# the database `bench`, exports PGHOST, PGPORT, PGUSER and PGPASSWORD, and stops and deletes it all
# at exit. Sets $pgbin (the server's binaries) and $port. Needs $work (a folder for the initdb log).
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$pgbin" ] || ! command -v psql >/dev/null; then
  echo "needs a PostgreSQL server and psql: apt-get install postgresql postgresql-client" >&2
  exit 2
fi
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pgdata="$(mktemp -d /tmp/bucketload-bench-pg.XXXXXX)"
trap 'as_owner "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1; rm -rf "$pgdata"' EXIT
port=$(( 20000 + RANDOM % 20000 ))
[ "$(id -u)" = 0 ] && chown postgres "$pgdata"
as_owner "$pgbin/initdb" -D "$pgdata" -A trust -U postgres --no-sync >"$work/initdb.log"
as_owner "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
  -o "-p $port -k $pgdata -c listen_addresses=127.0.0.1" start >/dev/null
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGPASSWORD=unused
psql -q -d postgres -c "CREATE DATABASE bench"

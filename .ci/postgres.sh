# Sourced by .ci/run (or by a developer's shell: `source .ci/postgres.sh`): starts a throwaway PostgreSQL for the
# tests that need one and exports its connection string as REKOGNITION_TEST_POSTGRES. The server lives in a
# temporary folder, owned by an unprivileged user (initdb refuses root), listens on a free loopback port only, and
# is stopped and removed when the shell that sourced this exits.

rekognition_pg_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
      || { echo "could not install postgresql; the PostgreSQL tests will fail"; return 0; }
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi

  # initdb and postgres refuse to run as root: run them as the package's user (or nobody) when we are root.
  local user="" run=()
  if [ "$(id -u)" = 0 ]; then
    user=postgres
    id -u "$user" >/dev/null 2>&1 || user=nobody
    run=(runuser -u "$user" --)
  fi

  local dir port password
  dir=$(mktemp -d /tmp/rekognition-pg.XXXXXX)
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  printf '%s\n' "$password" >"$dir/pwfile"
  [ -n "$user" ] && chown -R "$user" "$dir"
  chmod 700 "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)

  if ! "${run[@]}" "$bin/initdb" -D "$dir/data" -U rekognition --pwfile="$dir/pwfile" --auth=scram-sha-256 \
       --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
    echo "initdb failed (see $dir/initdb.log); the PostgreSQL tests will fail"
    return 0
  fi

  # A throwaway server: no fsync (nothing here outlives the run), sockets only in its own folder.
  if ! "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
       -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
       start >/dev/null; then
    echo "PostgreSQL did not start (see $dir/server.log); the PostgreSQL tests will fail"
    return 0
  fi

  REKOGNITION_PG_DIR=$dir
  REKOGNITION_PG_CTL=("${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop)
  trap 'rekognition_pg_stop' EXIT

  if ! PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$port" -U rekognition rekognition_tests; then
    echo "createdb failed; the PostgreSQL tests will fail"
    return 0
  fi

  export REKOGNITION_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=rekognition;Password=$password;Database=rekognition_tests"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (REKOGNITION_TEST_POSTGRES is set)"
}

rekognition_pg_stop() {
  if [ -n "${REKOGNITION_PG_DIR:-}" ]; then
    "${REKOGNITION_PG_CTL[@]}" >/dev/null 2>&1
    rm -rf "$REKOGNITION_PG_DIR"
    REKOGNITION_PG_DIR=
  fi
}

rekognition_pg_start

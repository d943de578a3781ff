# Sourced by .ci/run: a throwaway S3-compatible server (npm's s3rver 3.7, on the machine's Node) for the tests that
# need S3. Installed once into a cache folder, started on a free loopback port with a temporary data folder, and
# stopped when the run ends. The tests read its address from REKOGNITION_TEST_S3_URL; its credentials are s3rver's
# fixed S3RVER/S3RVER.
s3_cache="${XDG_CACHE_HOME:-$HOME/.cache}/rekognition-ci/s3rver-3.7"
s3_server="$s3_cache/node_modules/s3rver/bin/s3rver.js"
if [ ! -f "$s3_server" ] && command -v npm >/dev/null 2>&1; then
  mkdir -p "$s3_cache"
  npm install --silent --no-audit --no-fund --prefix "$s3_cache" s3rver@3.7 >/dev/null 2>&1 \
    || echo "could not install s3rver 3.7 with npm; the S3 tests will fail"
fi

if [ -f "$s3_server" ] && command -v node >/dev/null 2>&1; then
  s3_data=$(mktemp -d)
  s3_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  node "$s3_server" -d "$s3_data/data" -a 127.0.0.1 -p "$s3_port" --silent >"$s3_data/log" 2>&1 &
  s3_pid=$!
  # Stop it when the run ends, after whatever else was to run then.
  s3_previous_exit=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
  trap "kill $s3_pid 2>/dev/null; wait $s3_pid 2>/dev/null; rm -rf '$s3_data'; ${s3_previous_exit}" EXIT
  for _ in $(seq 1 50); do
    curl -s -o /dev/null "http://127.0.0.1:$s3_port/" && break
    sleep 0.2
  done
  if curl -s -o /dev/null "http://127.0.0.1:$s3_port/"; then
    export REKOGNITION_TEST_S3_URL="http://127.0.0.1:$s3_port"
  else
    echo "s3rver did not start (log: $(tail -n 5 "$s3_data/log")); the S3 tests will fail"
  fi
else
  echo "s3rver 3.7 or Node is missing; the S3 tests will fail"
fi

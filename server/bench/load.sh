#!/usr/bin/env bash
# Load figures for issue 5: the lesson page, submissions, and nginx serving the same page.
# Usage: server/bench/load.sh path/to/release/server [lesson] [submit] [nginx]
#   (needs wrk, curl, python3 and nginx; Debian: wrk nginx-light). With no section names all
#   three run. DURATION (default 10s) sets each wrk run's length.
# Runs from the repository root (content/ is read from there). Prints `uptime` first (the load
# average matters on a shared machine) and wrk's summaries. Rate limits are off
# (`--no-rate-limit`): every request comes from one address.
set -euo pipefail
server_bin=${1:?path to a release build of the server}
shift
sections=" $* "
duration=${DURATION:-10s}
want() { [ "$sections" = "  " ] || [[ "$sections" == *" $1 "* ]]; }
uptime

work=$(mktemp -d)
trap 'kill "${server_pid:-}" "${nginx_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

DATABASE_URL="sqlite://$work/netlab.db?mode=rwc" "$server_bin" serve --bind 127.0.0.1:0 --no-rate-limit \
  > "$work/url" 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(sed 's/^k8s-netlab: //' "$work/url")
port=$(echo "$url" | sed 's#.*:\([0-9]*\)/#\1#')
echo "server at $url"

if want lesson; then
  echo "== lesson page (GET /lessons/01-network-model)"
  wrk -t2 -c32 -d"$duration" --latency "${url}lessons/01-network-model"
fi

if want submit; then
  cookie=$(curl -s -D - -o /dev/null "$url" | sed -n 's/^set-cookie: \([^;]*\).*/\1/Ip')
  [ -n "$cookie" ] || { echo "no session cookie from $url" >&2; exit 1; }
  # The reference solution and the cookie as a Lua module for server/bench/submit.lua.
  python3 - "$work/answer.lua" "$cookie" <<'PY'
import sys
text = open("content/exercises/dns-jenkins.yaml", encoding="utf-8").read()
block = text.split("solution: |\n", 1)[1].split("\nwrong:", 1)[0]
answer = "\n".join(line[2:] for line in block.splitlines()) + "\n"
lua = "return { body = [==[" + answer + "]==], cookie = \"" + sys.argv[2] + "\" }\n"
open(sys.argv[1], "w", encoding="utf-8").write(lua)
PY
  submissions="${url}api/exercises/dns-jenkins/submissions"
  echo "== submissions (POST $submissions: the reference solution + a unique comment per request)"
  BENCH_DIR=$work wrk -t2 -c16 -d"$duration" --latency -s server/bench/submit.lua "$submissions"
  echo "== submissions, the identical body every time"
  SAME_BODY=1 BENCH_DIR=$work wrk -t2 -c16 -d"$duration" --latency -s server/bench/submit.lua "$submissions"
  python3 - "$work/netlab.db" <<'PY'
import sqlite3, sys
count, passed = sqlite3.connect(sys.argv[1]).execute(
    "select count(*), sum(status = 'pass') from submission").fetchone()
print(f"submissions stored: {count}, of which pass: {passed}")
PY
fi

if want nginx; then
  echo "== nginx serving the same rendered lesson as a static file"
  mkdir -p "$work/www/lessons"
  curl -s "${url}lessons/01-network-model" > "$work/www/lessons/01-network-model.html"
  # As root, nginx's workers would drop to an account that cannot read the temporary directory.
  user_line=""
  [ "$(id -u)" = 0 ] && user_line="user root;"
  cat > "$work/nginx.conf" <<NGINX
$user_line
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$((port + 1)); root $work/www; default_type text/html; }
}
NGINX
  mkdir -p "$work/tmp"
  nginx -c "$work/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  sleep 0.5
  wrk -t2 -c32 -d"$duration" --latency "http://127.0.0.1:$((port + 1))/lessons/01-network-model.html"
fi

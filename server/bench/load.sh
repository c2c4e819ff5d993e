#!/usr/bin/env bash
# Load figures for issue 5: the lesson page, submissions, and nginx serving the same page.
# Usage: server/bench/load.sh path/to/release/server   (needs wrk and nginx; Debian: wrk nginx-light)
# Runs from the repository root (content/ is read from there). Prints wrk's summaries.
set -euo pipefail
server_bin=${1:?path to a release build of the server}
work=$(mktemp -d)
trap 'kill "${server_pid:-}" "${nginx_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

DATABASE_URL="sqlite://$work/netlab.db?mode=rwc" "$server_bin" serve --bind 127.0.0.1:0 --no-rate-limit \
  > "$work/url" 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
url=$(sed 's/^k8s-netlab: //' "$work/url")
port=$(echo "$url" | sed 's#.*:\([0-9]*\)/#\1#')
echo "server at $url"

echo "== lesson page (GET /lessons/01-network-model)"
wrk -t2 -c32 -d10s --latency "${url}lessons/01-network-model"

echo "== submissions (POST /api/exercises/dns-jenkins/submissions, the reference solution)"
cookie=$(curl -s -D - -o /dev/null "$url" | sed -n 's/^set-cookie: \([^;]*\).*/\1/Ip')
python3 - "$work/post.lua" "$cookie" <<'PY'
import re, sys
text = open("content/exercises/dns-jenkins.yaml", encoding="utf-8").read()
block = text.split("solution: |\n", 1)[1].split("\nwrong:", 1)[0]
answer = "\n".join(line[2:] for line in block.splitlines()) + "\n"
lua = 'wrk.method = "POST"\nwrk.body = [==[' + answer + ']==]\n'
lua += 'wrk.headers["Content-Type"] = "application/yaml"\nwrk.headers["Cookie"] = "' + sys.argv[2] + '"\n'
open(sys.argv[1], "w", encoding="utf-8").write(lua)
PY
wrk -t2 -c16 -d10s --latency -s "$work/post.lua" "${url}api/exercises/dns-jenkins/submissions"

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
wrk -t2 -c32 -d10s --latency "http://127.0.0.1:$((port + 1))/lessons/01-network-model.html"

#!/usr/bin/env bash
# A team deployment on this machine: PostgreSQL, two workbook processes over it, and nginx in
# front keeping each browser on one process (deploy/nginx/eha-team-routing.conf).
#   bash scripts/run-team.sh          (open http://127.0.0.1:8080; Ctrl+C stops everything)
# What it starts, and the settings that move it:
#   PostgreSQL   a local cluster (and its log) in $EHA_TEAM_DIR/postgres on 127.0.0.1:${EHA_TEAM_PG_PORT:-5433},
#                owned by this user (by `postgres` when run as root: PostgreSQL refuses root),
#                password authentication; made the first time, kept between runs
#   workbook     `streamlit run serve.py` on 127.0.0.1, ports ${EHA_TEAM_APP_PORTS:-8501 8502}
#   nginx        http://${EHA_HOST:-127.0.0.1}:${EHA_TEAM_PORT:-8080}, routing by the eha_route cookie
# EHA_TEAM_DIR (default data/team) holds the cluster, the logs (log/), the process ids (run/),
# the generated nginx.conf and the secrets. EHA_TEAM_DEMO_FAMILIES (default 12) is how many demo
# families are loaded into an empty database (0: the demo accounts only).
# In production the same pieces are Debian's postgresql, the systemd units of deploy/systemd and
# deploy/nginx/eha-team.conf.
set -euo pipefail
cd "$(dirname "$0")/.."
project=$PWD

bash scripts/setup.sh

team_dir=${EHA_TEAM_DIR:-$project/data/team}
mkdir -p "$team_dir"
team_dir=$(cd "$team_dir" && pwd)
host=${EHA_HOST:-127.0.0.1}
proxy_port=${EHA_TEAM_PORT:-8080}
pg_port=${EHA_TEAM_PG_PORT:-5433}
read -r -a app_ports <<< "${EHA_TEAM_APP_PORTS:-8501 8502}"
if [ "${#app_ports[@]}" -ne 2 ]; then
  echo "run-team.sh: EHA_TEAM_APP_PORTS names two ports (the routes a and b), not '${app_ports[*]}'" >&2
  exit 1
fi
mkdir -p "$team_dir/log" "$team_dir/run" "$team_dir/nginx"

# --- secrets, made once, readable only by this user -------------------------------------------
secret() {  # secret FILE: a random hex secret, made the first time
  if [ ! -s "$1" ]; then
    (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' > "$1")
  fi
  head -n 1 "$1"
}
pg_password=$(secret "$team_dir/postgres.password")
# Every process signs Streamlit's cookies (uploads' XSRF cookie, st.login) with the same secret,
# so a browser moved to the other process when its own stops keeps working there.
STREAMLIT_SERVER_COOKIE_SECRET=$(secret "$team_dir/cookie-secret")
export STREAMLIT_SERVER_COOKIE_SECRET
# The audit key: the environment's or .streamlit/secrets.toml's, else one made for this team.
if [ -z "${EHA_AUDIT_KEY:-}" ] && [ -z "${EHA_AUDIT_KEY_FILE:-}" ]; then
  secret "$team_dir/audit.key" > /dev/null
  export EHA_AUDIT_KEY_FILE="$team_dir/audit.key"
fi

# --- PostgreSQL -----------------------------------------------------------------------------
bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then bindir=$candidate; break; fi
done
if [ -z "$bindir" ]; then
  echo "run-team.sh: PostgreSQL is not installed (Debian package postgresql: bash scripts/setup.sh --test)" >&2
  exit 1
fi
pg_dir="$team_dir/postgres"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  as_pg=(runuser -u postgres --)
fi
pg() { "${as_pg[@]}" "$@"; }
if [ ! -s "$pg_dir/data/PG_VERSION" ]; then
  echo "Making the PostgreSQL cluster in $pg_dir"
  mkdir -p "$pg_dir"
  chmod 700 "$pg_dir"
  (umask 077 && cp "$team_dir/postgres.password" "$pg_dir/password")
  if [ "${#as_pg[@]}" -gt 0 ]; then
    chown -R postgres: "$pg_dir"
    if ! pg test -w "$pg_dir"; then
      echo "run-team.sh: the postgres user cannot reach $pg_dir; set EHA_TEAM_DIR to a directory it can" >&2
      exit 1
    fi
  fi
  pg "$bindir/initdb" -D "$pg_dir/data" -U eha --pwfile="$pg_dir/password" -A scram-sha-256 \
    -E UTF8 --no-locale > "$team_dir/log/initdb.log"
  rm -f "$pg_dir/password"
  pg mkdir -p "$pg_dir/socket"
fi
pg "$bindir/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pg_dir/socket -c max_connections=100" \
  start > /dev/null

pids=()
stop_all() {
  trap - EXIT INT TERM
  echo "Stopping the team deployment."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg "$bindir/pg_ctl" -D "$pg_dir/data" -m fast -w stop > /dev/null || true
  rm -f "$team_dir"/run/*.pid
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export PGPASSWORD=$pg_password
if ! "$bindir/psql" -h 127.0.0.1 -p "$pg_port" -U eha -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'eha'" | grep -q 1; then
  "$bindir/createdb" -h 127.0.0.1 -p "$pg_port" -U eha eha
fi
unset PGPASSWORD
export EHA_DATABASE_URL="postgresql+psycopg://eha:$pg_password@127.0.0.1:$pg_port/eha"

# --- the workbook: migrate once, demo data the first time, then two processes ---------------
.venv/bin/eha db upgrade
.venv/bin/eha demo --families "${EHA_TEAM_DEMO_FAMILIES:-12}" --seed 1 --if-empty

for port in "${app_ports[@]}"; do
  .venv/bin/streamlit run serve.py --server.headless=true --server.address=127.0.0.1 \
    --server.port="$port" --server.fileWatcherType=none --browser.gatherUsageStats=false \
    > "$team_dir/log/app-$port.log" 2>&1 &
  pids+=($!)
  echo $! > "$team_dir/run/app-$port.pid"
done

# --- nginx ----------------------------------------------------------------------------------
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$nginx_bin" ]; then
  echo "run-team.sh: nginx is not installed (Debian package nginx: bash scripts/setup.sh --test)" >&2
  exit 1
fi
work="$team_dir/nginx"
for sub in body proxy fastcgi uwsgi scgi; do mkdir -p "$work/$sub"; done
user_line=""
if [ "$(id -u)" = 0 ]; then
  # Run as root, nginx's workers would be `nobody`; Debian's nginx runs them as www-data.
  user_line="user www-data;"
  chown -R www-data: "$work/body" "$work/proxy" "$work/fastcgi" "$work/uwsgi" "$work/scgi"
fi
deploy="$project/deploy/nginx"
cat > "$work/nginx.conf" <<EOF
# Made by scripts/run-team.sh: deploy/nginx/eha-team.conf over plain http on this machine.
$user_line
worker_processes 1;
pid $work/nginx.pid;
error_log $team_dir/log/nginx-error.log;
events { worker_connections 512; }
http {
    # Which route each request went by and which process served it; no query strings.
    log_format eha_team '\$time_iso8601 route=\$eha_route upstream=\$upstream_addr '
                        'status=\$status "\$request_method \$uri"';
    access_log $team_dir/log/nginx-access.log eha_team;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;

    map \$http_upgrade \$connection_upgrade { default upgrade; "" close; }
    include $deploy/eha-team-routing.conf;
    upstream eha_route_a {
        server 127.0.0.1:${app_ports[0]} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:${app_ports[1]} backup;
    }
    upstream eha_route_b {
        server 127.0.0.1:${app_ports[1]} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:${app_ports[0]} backup;
    }
    server {
        listen $host:$proxy_port;
        server_tokens off;
        include $deploy/eha-security-headers.conf;
        add_header Set-Cookie \$eha_route_cookie always;
        location / {
            proxy_pass http://eha_route_\$eha_route;
            proxy_connect_timeout 5s;
            include $deploy/eha-proxy.conf;
        }
    }
}
EOF
"$nginx_bin" -t -q -e "$team_dir/log/nginx-error.log" -c "$work/nginx.conf"
"$nginx_bin" -e "$team_dir/log/nginx-error.log" -c "$work/nginx.conf" -g "daemon off;" &
pids+=($!)
echo $! > "$team_dir/run/nginx.pid"

# --- ready when both processes answer, through nginx too ------------------------------------
ready() { .venv/bin/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" 2>/dev/null; }
for url in "http://127.0.0.1:${app_ports[0]}" "http://127.0.0.1:${app_ports[1]}" "http://$host:$proxy_port"; do
  for attempt in $(seq 1 241); do
    ready "$url/_stcore/health" && break
    if [ "$attempt" = 241 ]; then
      echo "run-team.sh: $url did not answer within a minute; see $team_dir/log/" >&2
      exit 1
    fi
    for pid in "${pids[@]}"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "run-team.sh: a process stopped while starting; see $team_dir/log/" >&2
        exit 1
      fi
    done
    sleep 0.25
  done
done
demo_password=$(.venv/bin/python -c 'from eha.demo import DEMO_PASSWORD; print(DEMO_PASSWORD)')
echo
echo "The team deployment is ready: open http://$host:$proxy_port (Ctrl+C stops everything)."
echo "  nginx       $host:$proxy_port, each browser kept on one process by its eha_route cookie"
echo "  workbook    127.0.0.1:${app_ports[0]} (route a) and 127.0.0.1:${app_ports[1]} (route b)"
echo "  PostgreSQL  127.0.0.1:$pg_port, database eha, cluster in $pg_dir"
echo "  logs        $team_dir/log/"
echo "Sign in with a demo account (demo.practitioner, demo.lcss, demo.admin), password: $demo_password"

# Runs until stopped; a workbook process that stops leaves its browsers to the other.
while kill -0 "${pids[-1]}" 2>/dev/null; do
  wait "${pids[-1]}" || true
done

# Shared by scripts/demo, scripts/test, scripts/test-server, scripts/screenshots and bench/run:
# install what is missing, build, prepare a server's state folder, run httpd.
# shellcheck shell=bash

MYACCOUNT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$MYACCOUNT_ROOT/build}
# Extra cmake options build_project configures with (scripts/test --sanitize: -DMYACCOUNT_SANITIZE=ON).
MYACCOUNT_CMAKE_OPTIONS=()

# Debian packages the build, the demo and the tests need (chromium and the CJK fonts: the browser
# tests and their Japanese screenshots; clang and its runtime libraries, a recommendation only:
# libFuzzer for scripts/fuzz).
MYACCOUNT_PACKAGES=(
  build-essential cmake pkg-config
  apache2 apache2-dev apache2-utils
  libsqlite3-dev sqlite3 liboath-dev oathtool libcppunit-dev libsodium-dev
  libkainjow-mustache-dev nlohmann-json3-dev libqrencode-dev libcurl4-openssl-dev libphonenumber-dev
  libcmark-dev libxml2-dev libzxcvbn-dev openssl
  clang libclang-rt-14-dev
  wrk curl gdb
  chromium fonts-noto-cjk
)

log() { printf '==> %s\n' "$*" >&2; }

install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
    return 1
  fi
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Node.js and npm for the browser tests: Debian's packages only when there are none already (the
# machine may carry a newer Node.js of its own; playwright-core wants 20 or later).
install_node() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then return 0; fi
  install_packages nodejs npm
}

# The browser tests' npm packages (playwright-core drives Debian's /usr/bin/chromium: no browser
# download, ever), from tests/browser/package-lock.json.
install_browser_test_packages() {
  log "npm ci in tests/browser"
  (cd "$MYACCOUNT_ROOT/tests/browser" &&
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# Configures and builds everything, or only the targets named (e.g. mod_myaccount myaccountctl).
build_project() {
  log "building in $BUILD_DIR"
  cmake -S "$MYACCOUNT_ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
    ${MYACCOUNT_CMAKE_OPTIONS[@]+"${MYACCOUNT_CMAKE_OPTIONS[@]}"} >/dev/null
  if [ $# -gt 0 ]; then
    cmake --build "$BUILD_DIR" -j"$(nproc)" --target "$@"
  else
    cmake --build "$BUILD_DIR" -j"$(nproc)"
  fi
}

# ------------------------------------------------------------------------------------------------
# A server's state folder, the same for the demo, the benchmark, the integration tests (through
# scripts/test-server) and the browser tests:
#   DIR/run/                 ServerRoot: pid, logs, notifications.log (scripts/notify-to-file)
#   DIR/db/myaccount.db      the database (myaccountctl init)
#   DIR/keys/myaccount.key   the secret key (myaccountctl gen-key)
#   DIR/docroot/             static/hello.txt, app/index.html, basic/index.html, handbook/index.html
# The module and myaccountctl are the build's ($BUILD_DIR) unless MYACCOUNT_MODULE_PATH and
# MYACCOUNT_CTL_PATH name others; MYACCOUNT_HTTPD_MODULEDIR overrides httpd's module folder.

# The account httpd's children run as: www-data when we are root, else ourselves.
run_user() { if [ "$(id -u)" -eq 0 ]; then echo www-data; else id -un; fi; }
run_group() { if [ "$(id -u)" -eq 0 ]; then echo www-data; else id -gn; fi; }

module_path() { echo "${MYACCOUNT_MODULE_PATH:-$BUILD_DIR/mod_myaccount.so}"; }
ctl_path() { echo "${MYACCOUNT_CTL_PATH:-$BUILD_DIR/myaccountctl}"; }
httpd_moduledir() {
  if [ -n "${MYACCOUNT_HTTPD_MODULEDIR:-}" ]; then echo "$MYACCOUNT_HTTPD_MODULEDIR"; return; fi
  apxs -q LIBEXECDIR 2>/dev/null || echo /usr/lib/apache2/modules
}

# myaccountctl on the state folder's database. $1: state folder, then the command.
state_ctl() {
  local state=$1; shift
  "$(ctl_path)" --db "$state/db/myaccount.db" "$@"
}

# httpd's children (www-data when we are root) must own what they write: run/ and db/.
fix_state_ownership() {
  local state=$1
  if [ "$(id -u)" -eq 0 ]; then chown -R "$(run_user):$(run_group)" "$state/run" "$state/db"; fi
}

# The NAME=VALUE lines conf/demo.conf reads, one a line. $1: state folder, $2: port.
server_env_lines() {
  local state=$1 port=$2
  printf '%s\n' \
    "MYACCOUNT_RUNDIR=$state/run" \
    "MYACCOUNT_PORT=$port" \
    "MYACCOUNT_HTTPD_MODULES=$(httpd_moduledir)" \
    "MYACCOUNT_MODULE=$(module_path)" \
    "MYACCOUNT_DB=$state/db/myaccount.db" \
    "MYACCOUNT_KEY=$state/keys/myaccount.key" \
    "MYACCOUNT_TEMPLATES=$MYACCOUNT_ROOT/templates" \
    "MYACCOUNT_DOCROOT=$state/docroot" \
    "MYACCOUNT_RUN_USER=$(run_user)" \
    "MYACCOUNT_RUN_GROUP=$(run_group)"
}

# Exports the MYACCOUNT_* variables conf/demo.conf reads. $1: state folder, $2: port.
export_server_env() {
  local line
  while IFS= read -r line; do
    export "${line%%=*}=${line#*=}"
  done < <(server_env_lines "$1" "$2")
}

# A new state folder: the layout above, a key and an empty database. $1: a folder that does not
# exist yet or is empty.
prepare_server_state() {
  local state=$1
  if [ -e "$state" ] && [ -n "$(ls -A "$state")" ]; then
    log "prepare: $state is not empty"
    return 1
  fi
  (
    umask 022
    mkdir -p "$state"
    chmod 0755 "$state"  # httpd's unprivileged children must traverse it
    install -d -m 0755 "$state/run" "$state/docroot" "$state/docroot/static" "$state/docroot/app" \
      "$state/docroot/basic" "$state/docroot/handbook"
    install -d -m 0750 "$state/db"
    install -d -m 0700 "$state/keys"
    printf 'hello\n' >"$state/docroot/static/hello.txt"
    printf '%s\n' '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Contoso intranet</title></head><body><h1>Contoso intranet</h1><p>You are signed in to the intranet app</p></body></html>' \
      >"$state/docroot/app/index.html"
    printf '%s\n' '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>basic area</title></head><body><p>basic area</p></body></html>' \
      >"$state/docroot/basic/index.html"
    printf '%s\n' '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Employee handbook</title></head><body><h1>Employee handbook</h1><p>Welcome to the employee handbook</p></body></html>' \
      >"$state/docroot/handbook/index.html"
  ) || return 1
  "$(ctl_path)" gen-key "$state/keys/myaccount.key" >/dev/null || return 1
  state_ctl "$state" init >/dev/null || return 1
  fix_state_ownership "$state"
}

# The demo organizations and people (README "Demo users"). $1: a prepared state folder.
add_demo_users() {
  local state=$1
  _demo_user() {  # USER PASSWORD ARGS...
    local user=$1 password=$2; shift 2
    printf '%s\n' "$password" | state_ctl "$state" user add "$user" "$@" --password-stdin >/dev/null
  }
  state_ctl "$state" org add Contoso --domain contoso.example >/dev/null &&
  state_ctl "$state" org add Fabrikam --domain fabrikam.example >/dev/null &&
  _demo_user alice 'correct horse battery staple' --name 'Alice Smith' --title 'Software Engineer' \
    --email alice@contoso.example --email alice.smith@fabrikam.example --office 'Tokyo HQ, 8F' &&
  _demo_user hanako 'sakura-mochi-2026' --name '山田 花子' --title '人事部 マネージャー' \
    --email hanako.yamada@contoso.example --office '大阪支社 3階' &&
  _demo_user bob 'blue-whale-harbor' --name 'Bob Tanaka' --title 'Sales Manager' \
    --email bob@fabrikam.example --office 'Fabrikam Nagoya' &&
  state_ctl "$state" org add-member Contoso alice >/dev/null &&
  state_ctl "$state" org add-member Fabrikam alice --guest --role Guest >/dev/null &&
  state_ctl "$state" org add-member Contoso hanako >/dev/null &&
  state_ctl "$state" org add-member Fabrikam bob >/dev/null &&
  state_ctl "$state" org add-member Contoso bob --guest --role Guest >/dev/null || return 1
  fix_state_ownership "$state"
}

# Contoso's terms of use in both languages (the demo's /handbook/ asks its people to accept them).
publish_demo_terms() {
  local state=$1 lang
  for lang in en ja; do
    state_ctl "$state" terms publish Contoso "$MYACCOUNT_ROOT/conf/demo-terms/contoso.$lang.md" \
      --version 2026-12 --lang "$lang" >/dev/null || return 1
  done
  fix_state_ownership "$state"
}

# A fresh state folder with the demo organizations and users, and the server environment exported
# (scripts/demo and bench/run then run httpd in the foreground). $1: folder, $2: port.
create_demo_state() {
  local state=$1 port=$2
  log "creating a fresh demo database in $state"
  rm -rf "$state"
  prepare_server_state "$state"
  add_demo_users "$state"
  publish_demo_terms "$state"
  export_server_env "$state" "$port"
}

# ------------------------------------------------------------------------------------------------
# A test server in the background (scripts/test-server start/stop): Debian's apache2 in the
# foreground mode of its own session, its pid in DIR/run/test-server.pid, its port in
# DIR/run/test-server.port.

# True while pid runs (a zombie, or a pid that is gone, is not running).
_pid_running() {
  local pid=$1 state=
  [ -r "/proc/$pid/stat" ] || return 1
  read -r _ _ state _ <"/proc/$pid/stat" 2>/dev/null || return 1
  [ "$state" != Z ] && [ "$state" != X ]
}

# A loopback port nothing listens on, below Linux's ephemeral range (bind races are retried).
_free_port() {
  local port i
  for i in $(seq 100); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

# Starts httpd on a free loopback port; prints its base URL once GET /static/hello.txt is 200.
# $1: prepared state folder, $2: config (default conf/demo.conf).
start_test_server() {
  local state conf=${2:-$MYACCOUNT_ROOT/conf/demo.conf} attempt port pid log_from status why
  state=$(cd "$1" && pwd) || return 1
  if [ -r "$state/run/test-server.pid" ] && _pid_running "$(cat "$state/run/test-server.pid")"; then
    log "start: a server already runs for $state (scripts/test-server stop $state)"
    return 1
  fi
  for attempt in 1 2 3 4 5; do
    port=$(_free_port) || { log "start: no free loopback port"; return 1; }
    fix_state_ownership "$state"
    log_from=$(stat -c %s "$state/run/error.log" 2>/dev/null || echo 0)
    (
      export_server_env "$state" "$port"
      exec setsid /usr/sbin/apache2 -f "$conf" -DFOREGROUND </dev/null >>"$state/run/httpd.out" 2>&1
    ) &
    pid=$!
    echo "$pid" >"$state/run/test-server.pid"
    echo "$port" >"$state/run/test-server.port"
    why=
    for _ in $(seq 200); do  # 10 s
      if ! _pid_running "$pid"; then
        wait "$pid" 2>/dev/null || true
        why="httpd exited"
        break
      fi
      status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/static/hello.txt" || true)
      if [ "$status" = 200 ]; then
        echo "http://127.0.0.1:$port"
        return 0
      fi
      sleep 0.05
    done
    [ -n "$why" ] || { why="no 200 for GET /static/hello.txt within 10 s"; stop_test_server "$state"; }
    rm -f "$state/run/test-server.pid" "$state/run/test-server.port"
    if tail -c +"$((log_from + 1))" "$state/run/error.log" 2>/dev/null | grep -Eq 'could not bind|Address already in use'; then
      continue  # another process took the port in between: try another
    fi
    break
  done
  log "start: $why; error.log:"
  tail -c +"$((log_from + 1))" "$state/run/error.log" 2>/dev/null | tail -n 40 >&2
  tail -n 20 "$state/run/httpd.out" >&2 2>/dev/null
  return 1
}

# Stops the server start_test_server started (SIGTERM, then SIGKILL to its process group after 10 s).
stop_test_server() {
  local state=$1 pid
  [ -r "$state/run/test-server.pid" ] || return 0
  pid=$(cat "$state/run/test-server.pid")
  if _pid_running "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 200); do _pid_running "$pid" || break; sleep 0.05; done
  fi
  kill -KILL -- "-$pid" 2>/dev/null || true  # children that outlived their parent go with the group
  rm -f "$state/run/test-server.pid" "$state/run/test-server.port"
  return 0
}

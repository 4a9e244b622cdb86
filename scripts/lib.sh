# Shared by scripts/demo, scripts/test and bench/run: install what is missing, build, run httpd.
# shellcheck shell=bash

MYACCOUNT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$MYACCOUNT_ROOT/build}

# Debian packages the build, the demo and the tests need.
MYACCOUNT_PACKAGES=(
  build-essential cmake pkg-config
  apache2 apache2-dev apache2-utils
  libsqlite3-dev sqlite3 liboath-dev oathtool libcppunit-dev libsodium-dev
  libkainjow-mustache-dev nlohmann-json3-dev libqrencode-dev libcurl4-openssl-dev
  wrk curl
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

build_project() {
  log "building in $BUILD_DIR"
  cmake -S "$MYACCOUNT_ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
  cmake --build "$BUILD_DIR" -j"$(nproc)"
}

# The account httpd's children run as: www-data when we are root, else ourselves.
run_user() { if [ "$(id -u)" -eq 0 ]; then echo www-data; else id -un; fi; }
run_group() { if [ "$(id -u)" -eq 0 ]; then echo www-data; else id -gn; fi; }

# Exports the MYACCOUNT_* variables conf/demo.conf reads. $1: state folder, $2: port.
export_server_env() {
  local state=$1 port=$2
  export MYACCOUNT_RUNDIR=$state/run MYACCOUNT_PORT=$port
  export MYACCOUNT_HTTPD_MODULES
  MYACCOUNT_HTTPD_MODULES=$(apxs -q LIBEXECDIR)
  export MYACCOUNT_MODULE=$BUILD_DIR/mod_myaccount.so
  export MYACCOUNT_DB=$state/db/myaccount.db MYACCOUNT_KEY=$state/myaccount.key
  export MYACCOUNT_TEMPLATES=$MYACCOUNT_ROOT/templates MYACCOUNT_DOCROOT=$state/docroot
  export MYACCOUNT_RUN_USER MYACCOUNT_RUN_GROUP
  MYACCOUNT_RUN_USER=$(run_user)
  MYACCOUNT_RUN_GROUP=$(run_group)
}

# A fresh state folder with the demo organization, users, key, docroot. $1: folder, $2: port.
create_demo_state() {
  local state=$1 port=$2
  log "creating a fresh demo database in $state"
  rm -rf "$state"
  mkdir -p "$state/run" "$state/db" "$state/docroot/static" "$state/docroot/app" "$state/docroot/basic"
  export_server_env "$state" "$port"
  ctl() { "$BUILD_DIR/myaccountctl" --db "$MYACCOUNT_DB" "$@"; }

  "$BUILD_DIR/myaccountctl" gen-key "$MYACCOUNT_KEY" >/dev/null
  ctl init >/dev/null
  ctl org add Contoso --domain contoso.example >/dev/null
  ctl org add Fabrikam --domain fabrikam.example >/dev/null
  add_user() {  # USER PASSWORD ARGS...
    local user=$1 password=$2; shift 2
    printf '%s\n' "$password" | ctl user add "$user" "$@" --password-stdin >/dev/null
  }
  add_user alice 'correct horse battery staple' --name 'Alice Smith' --title 'Software Engineer' \
    --email alice@contoso.example --email alice.smith@fabrikam.example --office 'Tokyo HQ, 8F'
  add_user hanako 'sakura-mochi-2026' --name '山田 花子' --title '人事部 マネージャー' \
    --email hanako.yamada@contoso.example --office '大阪支社 3階'
  add_user bob 'blue-whale-harbor' --name 'Bob Tanaka' --title 'Sales Manager' \
    --email bob@fabrikam.example --office 'Fabrikam Nagoya'
  ctl org add-member Contoso alice >/dev/null
  ctl org add-member Fabrikam alice --guest --role Guest >/dev/null
  ctl org add-member Contoso hanako >/dev/null
  ctl org add-member Fabrikam bob >/dev/null
  ctl org add-member Contoso bob --guest --role Guest >/dev/null

  echo 'static baseline' >"$state/docroot/static/hello.txt"
  printf '<!doctype html><title>Intranet</title><h1>Contoso intranet</h1><p>You are signed in.</p>\n' \
    >"$state/docroot/app/index.html"
  echo 'basic area' >"$state/docroot/basic/index.html"
  if [ "$(id -u)" -eq 0 ]; then chown -R "$(run_user):$(run_group)" "$state/run" "$state/db"; fi
}

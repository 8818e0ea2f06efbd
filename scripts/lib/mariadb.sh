# shellcheck shell=bash
# A private MariaDB instance in a directory of our own: no system service, no defaults files,
# listening on 127.0.0.1 only. Layout of DIR: data/, mariadb.sock, mariadbd.pid, error.log.

# ag_mariadb_start DIR PORT [EXTRA_MARIADBD_OPTIONS...]: a fresh instance (DIR is wiped).
ag_mariadb_start() {
  local dir="$1" port="$2"; shift 2
  ag_mariadb_stop "${dir}"
  rm -rf "${dir}"
  mkdir -p "${dir}/data"
  dir="$(cd "${dir}" && pwd)"   # mariadb-install-db resolves a relative datadir against its basedir
  mariadb-install-db --no-defaults --datadir="${dir}/data" --auth-root-authentication-method=normal \
    --skip-test-db --user=root >"${dir}/install.log" 2>&1 \
    || { tail -n 20 "${dir}/install.log" >&2; ag_die "mariadb-install-db failed (log: ${dir}/install.log)"; }
  ag_start_background "${dir}/mariadbd.pid" "${dir}/error.log" \
    mariadbd --no-defaults --datadir="${dir}/data" --socket="${dir}/mariadb.sock" --port="${port}" \
      --bind-address=127.0.0.1 --pid-file="${dir}/data/mariadbd.pid" --user=root --skip-name-resolve \
      --max-connections=500 "$@"
  ag_wait_for_port "${port}" "${dir}/mariadbd.pid" "mariadbd" "${dir}/error.log" 60
  ag_mariadb_root "${dir}" -e "DELETE FROM mysql.global_priv WHERE User=''; FLUSH PRIVILEGES;"
}

ag_mariadb_stop() { ag_stop_pidfile "$1/mariadbd.pid" "mariadbd"; }

# ag_mariadb_root DIR [mariadb options...]: the mariadb client as root over the instance's socket.
ag_mariadb_root() {
  local dir="$1"; shift
  mariadb --no-defaults --socket="${dir}/mariadb.sock" --user=root "$@"
}

# ag_mariadb_service_user DIR USER PASSWORD_FILE PRIVILEGES ON_WHAT: (re)creates the account the
# gateway logs in with, with a random password written to PASSWORD_FILE (mode 600, no newline).
ag_mariadb_service_user() {
  local dir="$1" user="$2" password_file="$3" privileges="$4" on_what="$5" password
  password="$(openssl rand -hex 16)"
  (umask 077; printf '%s' "${password}" >"${password_file}")
  ag_mariadb_root "${dir}" -e "DROP USER IF EXISTS '${user}'@'127.0.0.1';
    CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password}';
    GRANT ${privileges} ON ${on_what} TO '${user}'@'127.0.0.1';"
}

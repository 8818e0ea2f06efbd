# shellcheck shell=bash
# HAProxy in TCP mode in front of one MariaDB: the plain relay benchmarks compare the gateway with.
# Layout of DIR: haproxy.cfg, haproxy.pid.

# ag_haproxy_start DIR LOGFILE PORT BACKEND_PORT: HAProxy on 127.0.0.1:PORT relaying TCP to 127.0.0.1:BACKEND_PORT.
ag_haproxy_start() {
  local dir="$1" logfile="$2" port="$3" backend_port="$4"
  mkdir -p "${dir}"
  ag_haproxy_stop "${dir}"
  cat >"${dir}/haproxy.cfg" <<CFG
global
  maxconn 4096
defaults
  mode tcp
  timeout connect 5s
  timeout client 1h
  timeout server 1h
listen mariadb
  bind 127.0.0.1:${port}
  server mariadb 127.0.0.1:${backend_port}
CFG
  ag_start_background "${dir}/haproxy.pid" "${logfile}" haproxy -db -f "${dir}/haproxy.cfg"
  ag_wait_for_port "${port}" "${dir}/haproxy.pid" "haproxy" "${logfile}" 20
}

ag_haproxy_stop() { ag_stop_pidfile "$1/haproxy.pid" "haproxy"; }

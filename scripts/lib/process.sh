# shellcheck shell=bash
# Background processes tracked by pid files, ports on 127.0.0.1.

ag_port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ag_free_port PREFERRED: PREFERRED if nothing listens there, else the next free port above it.
ag_free_port() {
  local port="$1" last=$(( $1 + 200 ))
  while (( port <= last )); do
    ag_port_in_use "${port}" || { echo "${port}"; return 0; }
    port=$(( port + 1 ))
  done
  ag_die "no free port in ${1}..${last} on 127.0.0.1"
}

ag_pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# ag_wait_for_port PORT PIDFILE LABEL LOGFILE [SECONDS]: waits until PORT accepts connections;
# fails (printing the log's tail) if the process dies or the time runs out.
ag_wait_for_port() {
  local port="$1" pidfile="$2" label="$3" logfile="$4" deadline=$(( $(date +%s) + ${5:-60} ))
  until ag_port_in_use "${port}"; do
    if ! ag_pid_alive "${pidfile}"; then
      tail -n 30 "${logfile}" >&2 || true
      ag_die "${label} exited during startup (log: ${logfile})"
    fi
    if (( $(date +%s) >= deadline )); then
      tail -n 30 "${logfile}" >&2 || true
      ag_die "${label} did not listen on 127.0.0.1:${port} within ${5:-60}s (log: ${logfile})"
    fi
    sleep 0.3
  done
}

# ag_start_background PIDFILE LOGFILE COMMAND...: starts COMMAND detached in a process group of its
# own (setsid: its pid is the group id), records the pid. Stopping signals the whole group, so a
# launcher script and the JVM it starts stop together.
ag_start_background() {
  local pidfile="$1" logfile="$2"; shift 2
  setsid nohup "$@" >"${logfile}" 2>&1 </dev/null &
  echo $! >"${pidfile}"
}

# ag_stop_pidfile PIDFILE LABEL: TERM to the process group started by ag_start_background, wait up
# to 30 s, then KILL; removes the pid file.
ag_stop_pidfile() {
  local pidfile="$1" label="$2" pid waited=0
  [[ -f "${pidfile}" ]] || return 0
  pid="$(cat "${pidfile}")"
  if kill -0 "${pid}" 2>/dev/null; then
    kill -TERM -- "-${pid}" 2>/dev/null || kill -TERM "${pid}" 2>/dev/null || true
    while kill -0 "${pid}" 2>/dev/null && (( waited < 100 )); do sleep 0.3; waited=$(( waited + 1 )); done
    if kill -0 "${pid}" 2>/dev/null; then
      ag_warn "${label} (pid ${pid}) ignored TERM for 30s; killing it"
      kill -KILL -- "-${pid}" 2>/dev/null || kill -KILL "${pid}" 2>/dev/null || true
    fi
    ag_note "stopped ${label} (pid ${pid})"
  fi
  rm -f "${pidfile}"
}

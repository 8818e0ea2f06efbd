// The sessions page: lists recorded sessions through /recordings and plays one back. Everything shown comes from
// the API as text (textContent only), so a recorded value can never become markup.
"use strict";

const MAX_PAUSE_MS = 60000;
let playback = null;

function $(id) {
  return document.getElementById(id);
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  if (className) {
    node.className = className;
  }
  return node;
}

async function api(path) {
  const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({ error: "unreadable answer (" + response.status + ")" }));
  if (!response.ok) {
    throw new Error(body.error || "HTTP " + response.status);
  }
  return body;
}

async function start() {
  const me = await api("/review/whoami");
  if (!me.signed_in) {
    $("login").hidden = false;
    $("sso-login").hidden = !me.sign_in_available;
    return;
  }
  $("reviewer").textContent = me.reviewer;
  $("sign-out-form").hidden = false;
  $("browser").hidden = false;
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    list();
  });
  $("play").addEventListener("click", () => play());
  $("stop").addEventListener("click", () => stop());
  $("close-player").addEventListener("click", () => {
    stop();
    $("player").hidden = true;
    $("browser").hidden = false;
  });
  await list();
}

async function list() {
  const query = new URLSearchParams();
  for (const name of ["subject", "target", "since", "until", "action"]) {
    const value = $("filter-" + name).value.trim();
    if (value) {
      query.set(name, value);
    }
  }
  const rows = document.querySelector("#sessions tbody");
  rows.replaceChildren();
  $("list-error").hidden = true;
  try {
    const page = await api("/recordings?" + query.toString());
    for (const session of page.sessions) {
      const row = element("tr");
      row.dataset.sessionId = session.session_id;
      for (const value of [session.session_id, session.subject, session.target, session.started_at,
        session.ended_at || "-", session.statements, session.refused, session.status]) {
        row.appendChild(element("td", value));
      }
      row.addEventListener("click", () => open(session.session_id));
      rows.appendChild(row);
    }
    $("sessions-count").textContent = page.count + " session(s)" + (page.next_until ? " (more: narrow the filters)" : "");
  } catch (failure) {
    $("list-error").textContent = failure.message;
    $("list-error").hidden = false;
  }
}

async function open(sessionId) {
  stop();
  $("browser").hidden = true;
  $("player").hidden = false;
  $("player-session").textContent = sessionId;
  $("transcript").replaceChildren();
  $("playback-done").hidden = true;
  $("player-error").hidden = true;
  $("player-who").textContent = "";
  try {
    const transcript = await api("/recordings/" + encodeURIComponent(sessionId));
    const who = transcript.identity || {};
    $("player-who").textContent = (who.subject || "?") + " (" + (who.issuer || "?") + ") on target "
      + transcript.target + " from " + transcript.client_address + ", started " + transcript.started_at;
    playback = { transcript: transcript, next: 0, timer: null };
  } catch (failure) {
    $("player-error").textContent = failure.message;
    $("player-error").hidden = false;
  }
}

function play() {
  if (!playback) {
    return;
  }
  stop();
  $("transcript").replaceChildren();
  $("playback-done").hidden = true;
  playback.next = 0;
  step();
}

function stop() {
  if (playback && playback.timer) {
    clearTimeout(playback.timer);
    playback.timer = null;
  }
}

function step() {
  const statements = playback.transcript.statements;
  if (playback.next >= statements.length) {
    const done = $("playback-done");
    const reason = playback.transcript.end_reason;
    done.textContent = "-- " + statements.length + " statement(s) played" + (reason ? "; session ended: " + reason : "");
    done.hidden = false;
    return;
  }
  const statement = statements[playback.next];
  $("transcript").appendChild(render(statement));
  playback.next++;
  if (playback.next < statements.length) {
    const speed = Number($("speed").value);
    const gap = Date.parse(statements[playback.next].at) - Date.parse(statement.at);
    const pause = speed === 0 ? 0 : Math.min(MAX_PAUSE_MS, Math.max(0, gap / speed));
    playback.timer = setTimeout(step, pause);
  } else {
    playback.timer = setTimeout(step, 0);
  }
}

function render(statement) {
  const box = element("div", null, "statement");
  box.dataset.commandNo = statement.command_no;
  box.appendChild(element("pre", "mysql> " + (statement.sql ? statement.sql.trim() + ";" : statement.command), "prompt"));
  if (statement.parameters.length > 0) {
    box.appendChild(element("pre", "-- parameters: " + JSON.stringify(statement.parameters), "decision"));
  }
  if (statement.action) {
    box.appendChild(element("pre", "-- policy: " + statement.action + (statement.reason ? " (" + statement.reason + ")" : ""),
      "decision " + statement.action));
  }
  for (const part of statement.response) {
    box.appendChild(renderPart(part, statement));
  }
  if (statement.undecodable) {
    box.appendChild(element("pre", "-- (response not decodable: " + statement.undecodable + ")", "decision"));
  }
  if (statement.cut.packets > 0) {
    box.appendChild(element("pre", "-- (" + statement.cut.packets + " more response packet(s), " + statement.cut.bytes
      + " bytes, not recorded: recording.max_result_bytes)", "decision"));
  }
  return box;
}

function renderPart(part, statement) {
  if (part.kind === "ok") {
    return element("pre", "Query OK, " + part.affected_rows + " row(s) affected"
      + (part.warnings ? ", " + part.warnings + " warning(s)" : ""), "ok");
  }
  if (part.kind === "error") {
    const refused = statement.outcome === "refused";
    return element("pre", "ERROR " + part.code + " (" + part.sql_state + "): " + part.message, refused ? "refusal" : "error");
  }
  if (part.kind === "prepared") {
    return element("pre", "Statement prepared (id " + part.statement_id + ", " + part.parameters + " parameter(s), "
      + part.columns + " column(s))");
  }
  const wrapper = element("div");
  if (part.rows.length > 0) {
    const table = element("table", null, "result-table");
    const head = element("tr");
    part.columns.forEach((name) => head.appendChild(element("th", name)));
    table.appendChild(head);
    for (const values of part.rows) {
      const row = element("tr");
      values.forEach((value) => row.appendChild(value === null ? element("td", "NULL", "null") : element("td", value)));
      table.appendChild(row);
    }
    wrapper.appendChild(table);
  }
  const count = part.rows.length;
  wrapper.appendChild(element("pre", count === 0 ? "Empty set" : count + (count === 1 ? " row in set" : " rows in set")));
  return wrapper;
}

document.addEventListener("DOMContentLoaded", () => {
  start().catch((failure) => {
    document.body.appendChild(element("p", failure.message, "error"));
  });
});

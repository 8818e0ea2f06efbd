#!/usr/bin/env sysbench
-- The agent workload: point reads by id of a table with PII columns, as an AI agent under the shipped
-- policy sends them (one text query each, a new literal every time, so a decision cache keyed by the exact
-- text never hits). Its own schema: database shop, table customers (id, name, email, ssn, phone), in
-- which the shipped policy's pii_columns mask email, ssn and phone.
--   --agent-columns=pii    SELECT id, name, email, ssn FROM customers WHERE id = <random>  (masked columns)
--   --agent-columns=plain  SELECT id, name FROM customers WHERE id = <random>              (none selected)
--   --agent-columns=cold   SELECT id AS c<n>, name, email, ssn FROM customers WHERE id = <random>: as pii, but
--                          every query of a new shape (an alias never sent before, unique across threads and
--                          runs), so the gateway's caches never know it: parse, lineage and both policy asks
-- prepare/cleanup create and drop shop.customers (run them as a user that may); run needs SELECT on it.
-- --tables is accepted for bench/run.sh's sake and ignored.

sysbench.cmdline.options = {
  table_size = {"Rows of shop.customers", 10000},
  tables = {"Ignored (one table)", 1},
  agent_columns = {"pii: select the masked columns too; plain: only id and name; cold: pii, a new shape each", "pii"},
}

local SELECTS = {
  pii = "SELECT id, name, email, ssn FROM customers WHERE id = %d",
  plain = "SELECT id, name FROM customers WHERE id = %d",
  cold = "SELECT id AS c%s_%d, name, email, ssn FROM customers WHERE id = %d",
}

local function connect()
  return sysbench.sql.driver():connect()
end

function prepare()
  local con = connect()
  con:query("CREATE DATABASE IF NOT EXISTS shop")
  con:query("DROP TABLE IF EXISTS shop.customers")
  con:query([[CREATE TABLE shop.customers (
    id INT NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, email VARCHAR(128) NOT NULL,
    ssn CHAR(11) NOT NULL, phone VARCHAR(20) NOT NULL)]])
  local batch = {}
  for id = 1, sysbench.opt.table_size do
    batch[#batch + 1] = string.format("(%d, 'Customer %d', 'customer%d@example.com', '%03d-%02d-%04d', '+1-555-%07d')",
      id, id, id, id % 1000, id % 100, id % 10000, id)
    if #batch == 1000 or id == sysbench.opt.table_size then
      con:query("INSERT INTO shop.customers VALUES " .. table.concat(batch, ","))
      batch = {}
    end
  end
end

function cleanup()
  connect():query("DROP TABLE IF EXISTS shop.customers")
end

function thread_init()
  select_text = SELECTS[sysbench.opt.agent_columns]
  if select_text == nil then
    error("--agent-columns must be pii, plain or cold, was " .. tostring(sysbench.opt.agent_columns))
  end
  -- cold: the alias is c<start>_<thread>_<count>: the second this run started (runs against one gateway are
  -- seconds apart), the thread's id and how many queries the thread has sent: no two queries share it
  alias_prefix = string.format("%d_%d", os.time(), sysbench.tid)
  sent = 0
  con = connect()
end

function thread_done()
  con:disconnect()
end

function event()
  local id = sysbench.rand.default(1, sysbench.opt.table_size)
  if sysbench.opt.agent_columns == "cold" then
    sent = sent + 1
    con:query(string.format(select_text, alias_prefix, sent, id))
  else
    con:query(string.format(select_text, id))
  end
end

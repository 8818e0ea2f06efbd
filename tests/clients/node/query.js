#!/usr/bin/env node
// Logs in to agentgate with a token over TLS (mysql2), runs one query, prints the result tab-separated.
// Environment: AGENTGATE_HOST, AGENTGATE_PORT, AGENTGATE_USER (the target name), AGENTGATE_TOKEN (the JWT),
// AGENTGATE_CA (optional: verify the server certificate against this PEM file; without it TLS is not verified),
// AGENTGATE_DATABASE (optional: default schema; the gateway defaults to the target's), AGENTGATE_QUERY (optional). Needs: npm ci (in tests/clients/node).
// A statement without a result set prints "update count <n>"; an error goes to stderr as "error <code> (<SQLSTATE>): <message>".
'use strict';
const fs = require('fs');
const mysql = require('mysql2/promise');

async function main() {
  const env = process.env;
  const query = env.AGENTGATE_QUERY || 'SELECT CURRENT_USER() AS user, DATABASE() AS db, 6 * 7 AS answer';
  // The token is the password; mysql2 answers caching_sha2_password's full-authentication request by sending
  // it in clear text when the connection is TLS.
  const ssl = env.AGENTGATE_CA ? { ca: fs.readFileSync(env.AGENTGATE_CA) } : { rejectUnauthorized: false };
  let connection;
  try {
    connection = await mysql.createConnection({
      host: env.AGENTGATE_HOST,
      port: Number(env.AGENTGATE_PORT),
      user: env.AGENTGATE_USER,
      password: env.AGENTGATE_TOKEN,
      ssl,
      database: env.AGENTGATE_DATABASE,
      charset: 'utf8mb4',
    });
  } catch (error) {
    console.error(describe(error));
    return 1;
  }
  try {
    const [rows, fields] = await connection.query({ sql: query, rowsAsArray: true });
    if (fields === undefined) {
      // A statement without a result set (DDL, DML): the server's OK packet.
      console.log(`update count ${rows.affectedRows}`);
      return 0;
    }
    console.log(fields.map((field) => field.name).join('\t'));
    for (const row of rows) {
      console.log(row.map((value) => (value === null ? 'NULL' : String(value))).join('\t'));
    }
    return 0;
  } finally {
    await connection.end();
  }
}

// A server error as "error <code> (<SQLSTATE>): <message>", the way the suite reads it back.
function describe(error) {
  return `error ${error.errno} (${error.sqlState}): ${error.message}`;
}

main().then((code) => process.exit(code), (error) => {
  console.error(describe(error));
  process.exit(1);
});

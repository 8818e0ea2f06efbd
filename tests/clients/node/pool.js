#!/usr/bin/env node
// A mysql2 pool of one connection to agentgate, with resetOnRelease: each element of AGENTGATE_QUERIES (a JSON
// array of statements, or of arrays of statements) runs on a connection taken from the pool and given back
// afterwards, so the pool sends COM_RESET_CONNECTION between elements. With AGENTGATE_CHANGE_USER_TOKEN set, the connection first switches identity with
// COM_CHANGE_USER (changeUser, user = the target name, password = that token) before the second element.
// AGENTGATE_RESET_ON_RELEASE=false turns the reset on release off.
// Prints one line per statement: "ok" and each row (its columns joined by commas), tab-separated, or
// "error<TAB><errno><TAB><message>".
// Environment as query.js (AGENTGATE_HOST, AGENTGATE_PORT, AGENTGATE_USER, AGENTGATE_TOKEN, AGENTGATE_CA).
'use strict';
const fs = require('fs');
const mysql = require('mysql2/promise');

async function main() {
  const env = process.env;
  const queries = JSON.parse(env.AGENTGATE_QUERIES || '[]');
  const ssl = env.AGENTGATE_CA ? { ca: fs.readFileSync(env.AGENTGATE_CA) } : { rejectUnauthorized: false };
  const pool = mysql.createPool({
    host: env.AGENTGATE_HOST,
    port: Number(env.AGENTGATE_PORT),
    user: env.AGENTGATE_USER,
    password: env.AGENTGATE_TOKEN,
    ssl,
    charset: 'utf8mb4',
    connectionLimit: 1,
    resetOnRelease: env.AGENTGATE_RESET_ON_RELEASE !== 'false',
  });
  try {
    for (let i = 0; i < queries.length; i++) {
      const connection = await pool.getConnection();
      try {
        if (i === 1 && env.AGENTGATE_CHANGE_USER_TOKEN) {
          await connection.changeUser({ user: env.AGENTGATE_USER, password: env.AGENTGATE_CHANGE_USER_TOKEN });
        }
        for (const sql of [].concat(queries[i])) {
          await run(connection, sql);
        }
      } finally {
        connection.release();
      }
    }
    return 0;
  } finally {
    await pool.end();
  }
}

async function run(connection, sql) {
  try {
    const [rows] = await connection.query({ sql, rowsAsArray: true });
    const values = Array.isArray(rows) ? rows.map((row) => row.map((v) => (v === null ? 'NULL' : String(v))).join(',')) : [];
    console.log(['ok', ...values].join('\t'));
  } catch (error) {
    console.log(`error\t${error.errno}\t${error.message}`);
  }
}

main().then((code) => process.exit(code), (error) => {
  console.error(`error ${error.errno}: ${error.message}`);
  process.exit(1);
});

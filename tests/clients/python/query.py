#!/usr/bin/env python3
"""Logs in to agentgate with a token over TLS (PyMySQL), runs one query, prints the result tab-separated.

Environment: AGENTGATE_HOST, AGENTGATE_PORT, AGENTGATE_USER (the target name), AGENTGATE_TOKEN (the JWT),
AGENTGATE_CA (optional: verify the server certificate against this PEM file; without it TLS is not verified),
AGENTGATE_DATABASE (optional: default schema; the gateway defaults to the target's), AGENTGATE_QUERY (optional),
AGENTGATE_READ_TIMEOUT (optional: PyMySQL's read_timeout in seconds; none by default). Needs: pip install pymysql cryptography

Transcript mode (AGENTGATE_QUERIES, a JSON array of statements, instead of AGENTGATE_QUERY): runs them in order on
one connection and prints everything received, one item a line: "> statement", "columns: [name | type code]",
"row: [value]...", "error CODE: message", and after each statement what SHOW WARNINGS answered (not with
AGENTGATE_SHOW_WARNINGS=0). Exit code 0. With AGENTGATE_PIPELINED=1 every command (the statements and their SHOW
WARNINGS) is written in one go before the first answer is read, as a pipelining client does.
"""
import json
import os
import ssl
import sys

import pymysql
from pymysql.constants import CLIENT, COMMAND


def tls_context():
    ca = os.environ.get("AGENTGATE_CA")
    if ca:
        return ssl.create_default_context(cafile=ca)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def main():
    query = os.environ.get("AGENTGATE_QUERY", "SELECT CURRENT_USER() AS user, DATABASE() AS db, 6 * 7 AS answer")
    try:
        # The token is the password; PyMySQL answers caching_sha2_password's full-authentication request
        # by sending it in clear text, which it only does inside TLS.
        connection = pymysql.connect(
            host=os.environ["AGENTGATE_HOST"],
            port=int(os.environ["AGENTGATE_PORT"]),
            user=os.environ["AGENTGATE_USER"],
            password=os.environ["AGENTGATE_TOKEN"],
            ssl=tls_context(),
            database=os.environ.get("AGENTGATE_DATABASE"),
            charset="utf8mb4",
            read_timeout=float(os.environ["AGENTGATE_READ_TIMEOUT"]) if os.environ.get("AGENTGATE_READ_TIMEOUT") else None,
            # Transcript mode sends multi-statement batches too.
            client_flag=CLIENT.MULTI_STATEMENTS if os.environ.get("AGENTGATE_QUERIES") else 0,
        )
    except pymysql.err.MySQLError as error:
        print("error %s: %s" % (error.args[0], error.args[1] if len(error.args) > 1 else ""), file=sys.stderr)
        return 1
    if os.environ.get("AGENTGATE_QUERIES"):
        with connection:
            statements = json.loads(os.environ["AGENTGATE_QUERIES"])
            if os.environ.get("AGENTGATE_PIPELINED") == "1":
                pipelined(connection, statements)
            else:
                transcript(connection, statements)
        return 0
    with connection:
        with connection.cursor() as cursor:
            cursor.execute(query)
            print("\t".join(column[0] for column in cursor.description))
            for row in cursor.fetchall():
                print("\t".join("NULL" if value is None else str(value) for value in row))
    return 0


def print_results(cursor):
    while True:
        if cursor.description:
            print("columns: " + " ".join("[%s | %s]" % (column[0], column[1]) for column in cursor.description))
            for row in cursor.fetchall():
                print("row: " + " ".join("[%s]" % ("NULL" if value is None else value) for value in row))
        else:
            print("update count %s" % cursor.rowcount)
        if not cursor.nextset():
            break


def transcript(connection, statements):
    for statement in statements:
        print("> " + statement)
        show_warnings = os.environ.get("AGENTGATE_SHOW_WARNINGS", "1") != "0"
        for sql in (statement, "SHOW WARNINGS") if show_warnings else (statement,):
            if sql == "SHOW WARNINGS":
                print("SHOW WARNINGS:")
            try:
                with connection.cursor() as cursor:
                    cursor.execute(sql)
                    print_results(cursor)
            except pymysql.err.MySQLError as error:
                print("error %s: %s" % (error.args[0], error.args[1] if len(error.args) > 1 else ""))
            except Exception as error:  # a broken connection: report it, keep the transcript going
                print("client error %s: %s" % (type(error).__name__, error))


def pipelined(connection, statements):
    """Writes every COM_QUERY at once, then reads the answers in order (PyMySQL's own reading, one per command)."""
    show_warnings = os.environ.get("AGENTGATE_SHOW_WARNINGS", "1") != "0"
    commands = [sql for statement in statements for sql in ((statement, "SHOW WARNINGS") if show_warnings else (statement,))]
    packets = b""
    for sql in commands:
        body = bytes([COMMAND.COM_QUERY]) + sql.encode("utf-8")
        packets += len(body).to_bytes(3, "little") + b"\x00" + body
    connection._write_bytes(packets)
    for sql in commands:
        print("SHOW WARNINGS:" if sql == "SHOW WARNINGS" else "> " + sql)
        try:
            connection._next_seq_id = 1  # each answer starts at sequence id 1
            cursor = connection.cursor()
            cursor._executed = sql
            connection._read_query_result()
            cursor._do_get_result()
            print_results(cursor)
        except pymysql.err.MySQLError as error:
            print("error %s: %s" % (error.args[0], error.args[1] if len(error.args) > 1 else ""))
        except Exception as error:  # a broken connection: report it, nothing more will come
            print("client error %s: %s" % (type(error).__name__, error))
            return


if __name__ == "__main__":
    sys.exit(main())

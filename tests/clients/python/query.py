#!/usr/bin/env python3
"""Logs in to agentgate with a token over TLS (PyMySQL), runs one query, prints the result tab-separated.

Environment: AGENTGATE_HOST, AGENTGATE_PORT, AGENTGATE_USER (the target name), AGENTGATE_TOKEN (the JWT),
AGENTGATE_CA (optional: verify the server certificate against this PEM file; without it TLS is not verified),
AGENTGATE_DATABASE (optional: default schema; the gateway defaults to the target's), AGENTGATE_QUERY (optional). Needs: pip install pymysql cryptography
"""
import os
import ssl
import sys

import pymysql


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
        )
    except pymysql.err.MySQLError as error:
        print("error %s: %s" % (error.args[0], error.args[1] if len(error.args) > 1 else ""), file=sys.stderr)
        return 1
    with connection:
        with connection.cursor() as cursor:
            cursor.execute(query)
            print("\t".join(column[0] for column in cursor.description))
            for row in cursor.fetchall():
                print("\t".join("NULL" if value is None else str(value) for value in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())

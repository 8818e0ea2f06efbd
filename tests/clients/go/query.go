// Logs in to agentgate with a token over TLS (go-sql-driver/mysql), runs one query, prints the result
// tab-separated: a header line with the column names, then one line per row (NULL for SQL NULL).
//
// Environment: AGENTGATE_HOST, AGENTGATE_PORT, AGENTGATE_USER (the target name), AGENTGATE_TOKEN (the JWT),
// AGENTGATE_CA (optional: verify the server certificate against this PEM file; without it TLS is not verified),
// AGENTGATE_DATABASE (optional: default schema; the gateway defaults to the target's), AGENTGATE_QUERY (optional).
// A refusal is printed on stderr as "error CODE: message", exit code 1. Needs: go mod download (in this directory).
package main

import (
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/go-sql-driver/mysql"
)

func main() {
	if err := run(); err != nil {
		var refusal *mysql.MySQLError
		if errors.As(err, &refusal) {
			fmt.Fprintf(os.Stderr, "error %d: %s\n", refusal.Number, refusal.Message)
		} else {
			fmt.Fprintf(os.Stderr, "error: %v\n", err)
		}
		os.Exit(1)
	}
}

func run() error {
	query := os.Getenv("AGENTGATE_QUERY")
	if query == "" {
		query = "SELECT CURRENT_USER() AS user, DATABASE() AS db, 6 * 7 AS answer"
	}
	tlsConfig, err := tlsConfig(os.Getenv("AGENTGATE_HOST"), os.Getenv("AGENTGATE_CA"))
	if err != nil {
		return err
	}
	if err := mysql.RegisterTLSConfig("agentgate", tlsConfig); err != nil {
		return err
	}
	config := mysql.NewConfig()
	config.Net = "tcp"
	config.Addr = net.JoinHostPort(os.Getenv("AGENTGATE_HOST"), os.Getenv("AGENTGATE_PORT"))
	config.User = os.Getenv("AGENTGATE_USER")
	// The token is the password: the driver sends it in clear text inside TLS when the gateway asks for
	// caching_sha2_password's full authentication, or when it is switched to mysql_clear_password.
	config.Passwd = os.Getenv("AGENTGATE_TOKEN")
	config.DBName = os.Getenv("AGENTGATE_DATABASE")
	config.TLSConfig = "agentgate"
	config.AllowCleartextPasswords = true
	config.Collation = "utf8mb4_general_ci"
	connector, err := mysql.NewConnector(config)
	if err != nil {
		return err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		return err
	}
	defer rows.Close()
	return printRows(rows)
}

func printRows(rows *sql.Rows) error {
	columns, err := rows.Columns()
	if err != nil {
		return err
	}
	fmt.Println(strings.Join(columns, "\t"))
	values := make([]sql.NullString, len(columns))
	pointers := make([]any, len(columns))
	for i := range values {
		pointers[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(pointers...); err != nil {
			return err
		}
		fields := make([]string, len(values))
		for i, value := range values {
			if value.Valid {
				fields[i] = value.String
			} else {
				fields[i] = "NULL"
			}
		}
		fmt.Println(strings.Join(fields, "\t"))
	}
	return rows.Err()
}

func tlsConfig(host, caFile string) (*tls.Config, error) {
	if caFile == "" {
		return &tls.Config{InsecureSkipVerify: true}, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no certificate in %s", caFile)
	}
	return &tls.Config{RootCAs: roots, ServerName: host}, nil
}

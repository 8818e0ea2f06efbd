module agentgate.dev/tests/clients/go

go 1.26

require github.com/go-sql-driver/mysql v1.10.2

require filippo.io/edwards25519 v1.2.0 // indirect

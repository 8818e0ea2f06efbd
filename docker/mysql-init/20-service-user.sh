# shellcheck shell=bash disable=SC2154
# Sourced (not executed) by the mysql image's entrypoint after 10-sample.sql: the account agentgate
# logs in with. docker_process_sql is the entrypoint's own helper.
password="$(cat /run/secrets/service-password)"
docker_process_sql <<SQL
CREATE USER 'agentgate_svc'@'%' IDENTIFIED BY '${password}';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES, SHOW VIEW ON shop.* TO 'agentgate_svc'@'%';
SQL

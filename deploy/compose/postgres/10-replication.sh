#!/bin/bash
# Runs once, when the primary's data directory is created (postgres image's initdb hook): a role
# for the replica's streaming connection, allowed to replicate from the compose network, and the
# replica's slot, so the primary keeps the WAL the replica has not received yet.
set -euo pipefail
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
  -v password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('replica_1');
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"

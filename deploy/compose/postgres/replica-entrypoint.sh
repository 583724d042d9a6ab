#!/bin/bash
# The streaming replica: on first start, clones the primary with pg_basebackup (-R writes
# primary_conninfo, primary_slot_name and standby.signal; the slot is the primary's replica_1);
# afterwards it just starts as a hot standby.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_basebackup -h postgres-primary -U replicator -D "$PGDATA" -R -X stream \
      -S replica_1 --checkpoint=fast; do
    echo "waiting for the primary"
    rm -rf "${PGDATA:?}"/*
    sleep 2
  done
  chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on

#!/bin/sh
# The user list PgBouncer checks clients against and logs in to PostgreSQL with (SCRAM), from
# DB_USER and DB_PASSWORD; written where only this user can read it.
set -eu
umask 077
mkdir -p /tmp/pgbouncer
printf '"%s" "%s"\n' "$DB_USER" "$DB_PASSWORD" > /tmp/pgbouncer/userlist.txt
exec pgbouncer /etc/pgbouncer/pgbouncer.ini

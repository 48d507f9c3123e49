#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas to the server's version,
# with the server's own sql tool and the schema files of the same version. Run in both places
# that run the server: by `make test-cluster` (src/stack/temporal-cluster.ts, with the tool and
# schemas that scripts/provision-temporal-server.sh built into .tools/) and by
# docker-compose.yml (in the temporalio/admin-tools image of the same version). Idempotent:
# an existing database is kept and only the missing schema versions are applied.
#
# Environment: POSTGRES_SEEDS, DB_PORT (5432), POSTGRES_USER, POSTGRES_PWD,
# TEMPORAL_SQL_TOOL (temporal-sql-tool), SCHEMA_DIR (/etc/temporal/schema/postgresql/v12).
set -eu
tool=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
schemas=${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}
sql() {
  "$tool" --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" -u "$POSTGRES_USER" --pw "${POSTGRES_PWD:-}" --db "$@"
}
for pair in temporal:temporal temporal_visibility:visibility; do
  db=${pair%%:*}
  dir=$schemas/${pair#*:}/versioned
  # create-database fails on an existing database; the schema steps below say whether it is usable.
  sql "$db" create-database >/dev/null 2>&1 || true
  sql "$db" setup-schema -v 0.0
  sql "$db" update-schema -d "$dir"
done
echo "setup-schema: temporal and temporal_visibility are at the schema of $dir" >&2

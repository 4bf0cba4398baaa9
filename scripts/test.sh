#!/usr/bin/env bash
# Command 2 of the quick start: everything the tests need, then unit, integration, engine, benchmark smoke and
# browser tests. Every stage runs even if an earlier one failed; the exit code is non-zero if any failed.
source "$(dirname "$0")/lib.sh"
ensure_deps
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH." >&2
    exit 1
  fi
fi
export NODE_ENV=test
use_profile test
say "fresh test database"
npx tsx scripts/reset-test-db.ts
npx prisma migrate deploy >/dev/null
LOG_LEVEL=warn npx tsx prisma/seed.ts >/dev/null
npx tsx scripts/test-platform.ts

REPORTS="$ROOT/.data/test-reports"
rm -rf "$REPORTS" && mkdir -p "$REPORTS"
failed_stages=()
stage() {
  local name="$1"; shift
  say "$name"
  "$@" || failed_stages+=("$name")
}
vitest_project() {
  # $2: the report's name when a project runs again (on a Redis Cluster, through PgBouncer); then test files, if any.
  local project="$1" report="${2:-$1}"
  shift; [ $# -gt 0 ] && shift
  npx vitest run --config .config/vitest.config.ts --project "$project" --reporter=default --reporter=json --outputFile.json="$REPORTS/$report.json" "$@"
}

stage "unit tests" vitest_project unit
stage "integration tests (real Postgres + Redis)" vitest_project integration
stage "dispatch engine tests (scheduler, callers, crashes)" vitest_project engine

# The production build: the scale-out test runs two production web servers on it, the browser tests one.
say "building the web app (production) for the scale-out and browser tests"
built=0
if NODE_ENV=production npx next build >"$ROOT/.data/test-build.log" 2>&1; then
  built=1
else
  cat "$ROOT/.data/test-build.log"
  failed_stages+=("next build")
fi

# The same engine tests against a Redis Cluster, then a master killed mid-campaign (its replica takes over), and
# the many-process scale-out test (schedulers, callers and web servers as processes).
say "starting a local Redis Cluster (3 masters + 3 replicas of Debian's redis-server)"
npx tsx scripts/redis-cluster.ts stop >/dev/null
rm -rf "$ROOT/.data/cluster"
if npx tsx scripts/redis-cluster.ts start; then
  export REDIS_CLUSTER_NODES="$(npx tsx scripts/redis-cluster.ts nodes)"
  stage "dispatch engine tests on the Redis Cluster" vitest_project engine engine-cluster
  stage "Redis Cluster failover (a master killed with -9 mid-run)" vitest_project cluster
  unset REDIS_CLUSTER_NODES
  npx tsx scripts/redis-cluster.ts stop
else
  failed_stages+=("redis cluster")
fi

# The database paths that matter most again, through PgBouncer in transaction mode (Debian's pgbouncer).
say "PgBouncer (transaction mode) in front of the test database"
if npx tsx scripts/pgbouncer.ts start; then
  DIRECT_DATABASE_URL="$DATABASE_URL"
  export DATABASE_URL="$(npx tsx scripts/pgbouncer.ts url)" DATABASE_POOLER=pgbouncer
  stage "integration tests through PgBouncer" vitest_project integration integration-pgbouncer \
    lib/webhooks lib/campaigns/upload.int.test.ts lib/campaigns/housekeeping.int.test.ts lib/campaigns/lifecycle-races.int.test.ts lib/suppressions lib/attempts
  stage "dispatch engine tests through PgBouncer" vitest_project engine engine-pgbouncer \
    lib/dispatch/engine.int.test.ts lib/dispatch/exactly-once.int.test.ts lib/dispatch/webhooks.int.test.ts lib/dispatch/calling-rules.int.test.ts
  export DATABASE_URL="$DIRECT_DATABASE_URL"
  unset DATABASE_POOLER
  npx tsx scripts/pgbouncer.ts stop
else
  failed_stages+=("pgbouncer")
fi
stage "benchmark smoke run (npm run bench -- --quick)" npx tsx bench/run.ts --quick
if [ "$built" = 1 ]; then
  PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/e2e.json" stage "browser tests (Playwright + Debian Chromium)" \
    npx playwright test --config e2e/playwright.config.ts --reporter=list,json
fi

echo
npx tsx scripts/test-summary.ts "$REPORTS"
if [ ${#failed_stages[@]} -gt 0 ]; then
  printf 'failed: %s\n' "${failed_stages[@]}" >&2
  exit 1
fi

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
  npx vitest run --config .config/vitest.config.ts --project "$1" --reporter=default --reporter=json --outputFile.json="$REPORTS/$1.json"
}

stage "unit tests" vitest_project unit
stage "integration tests (real Postgres + Redis)" vitest_project integration
stage "dispatch engine tests (scheduler, callers, crashes)" vitest_project engine
stage "benchmark smoke run (npm run bench -- --quick)" npx tsx bench/run.ts --quick
say "building the web app for the browser tests"
if NODE_ENV=production npx next build >"$ROOT/.data/test-build.log" 2>&1; then
  PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/e2e.json" stage "browser tests (Playwright + Debian Chromium)" \
    npx playwright test --config e2e/playwright.config.ts --reporter=list,json
else
  cat "$ROOT/.data/test-build.log"
  failed_stages+=("next build")
fi

echo
npx tsx scripts/test-summary.ts "$REPORTS"
if [ ${#failed_stages[@]} -gt 0 ]; then
  printf 'failed: %s\n' "${failed_stages[@]}" >&2
  exit 1
fi

#!/usr/bin/env bash
# Command 2 of the quick start: everything the tests need, then unit, integration, benchmark smoke and e2e tests.
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
npx tsx prisma/seed.ts >/dev/null
say "unit tests"
npx vitest run --config .config/vitest.config.ts --project unit
say "integration tests (real Postgres + Redis)"
npx vitest run --config .config/vitest.config.ts --project integration
say "dispatch engine tests (scheduler, callers, crashes)"
npx vitest run --config .config/vitest.config.ts --project engine
say "benchmark smoke run (npm run bench -- --quick)"
npx tsx bench/run.ts --quick
say "building the web app for the browser tests"
NODE_ENV=production npx next build >/tmp/fairdial-test-build.log 2>&1 || { cat /tmp/fairdial-test-build.log; exit 1; }
say "browser tests (Playwright + Debian Chromium)"
npx playwright test --config e2e/playwright.config.ts

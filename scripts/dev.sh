#!/usr/bin/env bash
# Command 1 of the quick start: set up and run the whole product (services, migrations, demo data, web + worker).
source "$(dirname "$0")/lib.sh"
ensure_deps
use_profile dev
say "applying migrations"
npx prisma migrate deploy >/dev/null
say "seeding demo data"
LOG_LEVEL=warn npx tsx prisma/seed.ts
say "building the web app"
npx next build >/tmp/fairdial-build.log 2>&1 || { cat /tmp/fairdial-build.log; exit 1; }
PORT="${PORT:-3000}"
export NEXTAUTH_URL="${NEXTAUTH_URL:-http://localhost:$PORT}"
# The demo serves a production build on this machine only: a random secret kept in .data/ (sessions survive a
# restart), and plain http allowed because it is localhost. A real deployment uses `npm run serve` (README).
if [ -z "${NEXTAUTH_SECRET:-}" ]; then
  [ -s .data/demo-secret ] || { mkdir -p .data && node -e "process.stdout.write(require('crypto').randomBytes(48).toString('base64'))" > .data/demo-secret; }
  NEXTAUTH_SECRET="$(cat .data/demo-secret)"
  export NEXTAUTH_SECRET
fi
export ALLOW_INSECURE_HTTP="${ALLOW_INSECURE_HTTP:-1}"
# Webhooks may go to a receiver on this machine (production sends to public addresses only).
export WEBHOOK_ALLOWED_TARGETS="${WEBHOOK_ALLOWED_TARGETS:-localhost,127.0.0.1/32,::1/128}"
# The demo's logins are published, so it listens on loopback only unless HOST says otherwise (HOST=0.0.0.0).
say "starting web on http://localhost:$PORT and the worker (Ctrl-C stops both)"
# The worker logs structured JSON (tenantId, campaignId, leadId, attemptId); pino-pretty makes it readable here.
exec npx concurrently --kill-others --names web,worker --prefix-colors blue,magenta \
  "HOSTNAME=${HOST:-127.0.0.1} PORT=$PORT npx tsx scripts/web.ts" "npx tsx worker/index.ts | npx pino-pretty --singleLine --translateTime SYS:HH:MM:ss --ignore pid,hostname"

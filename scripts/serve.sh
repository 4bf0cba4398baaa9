#!/usr/bin/env bash
# Production start on one machine: the web server, one scheduler, $CALLERS caller processes and one webhooks
# sender, all from the
# build (`npm run build`). Never seeds, never touches a password, never starts local services: DATABASE_URL and
# REDIS_URL name the deployment's own. Each process refuses an unsafe configuration with a one-line reason.
# On several machines, run `npm run serve:web` and `npm run serve:worker -- --role scheduler|caller|webhooks` instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_ENV=production
CALLERS="${CALLERS:-1}"
PORT="${PORT:-3000}"

if [ ! -f dist/web.mjs ] || [ ! -f dist/worker.mjs ] || [ ! -f "${NEXT_DIST_DIR:-.next}/BUILD_ID" ]; then
  echo "No production build found: run \`npm run build\` first (and \`npm run db:migrate\` after each upgrade)." >&2
  exit 1
fi
# Check the configuration once, so a bad setting is one line here rather than one per process.
node dist/worker.mjs --check-config

names="web,scheduler,webhooks"
commands=("node dist/web.mjs" "node dist/worker.mjs --role scheduler" "node dist/worker.mjs --role webhooks")
for i in $(seq 1 "$CALLERS"); do
  names="$names,caller$i"
  commands+=("node dist/worker.mjs --role caller")
done
echo "fairdial: web on :$PORT, 1 scheduler, $CALLERS caller process(es), 1 webhooks sender"
# If any process exits, all stop and this script exits non-zero, so the supervisor (systemd, Docker) restarts it.
exec npx concurrently --kill-others --success first --names "$names" "${commands[@]}"

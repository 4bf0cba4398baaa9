# Shared by scripts/dev.sh and scripts/test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1;36m[fairdial]\033[0m %s\n' "$*"; }

ensure_deps() {
  # Reinstall only when the lockfile changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# Exports DATABASE_URL / REDIS_URL for a profile unless the caller set them (then nothing is started for them).
use_profile() {
  local profile="$1"
  npx tsx scripts/services.ts start "$profile"
  eval "$(npx tsx scripts/print-env.ts "$profile")"
}

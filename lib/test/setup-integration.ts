// Integration tests run against the real Postgres and Redis that scripts/test.sh starts.
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  throw new Error("Integration tests need DATABASE_URL and REDIS_URL: run them through `npm test` (scripts/test.sh).");
}
process.env.LOG_LEVEL ??= "warn";

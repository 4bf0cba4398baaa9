// Integration tests run against the real Postgres and Redis that scripts/test.sh starts.
import { afterAll } from "vitest";

if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  throw new Error("Integration tests need DATABASE_URL and REDIS_URL: run them through `npm test` (scripts/test.sh).");
}
process.env.LOG_LEVEL ??= "warn";

// Shared connections opened by the code under test are closed so the test process can exit.
afterAll(async () => {
  const [{ closeRedis }, { closePgPool }, { db }] = await Promise.all([import("../redis"), import("../pg"), import("../db")]);
  closeRedis();
  await closePgPool();
  await db.$disconnect();
});

// A plain pg pool for what Prisma cannot do: streaming COPY inside one transaction (lead imports).
// Lazy and cached on globalThis, like lib/redis.ts, so Next's dev reloads don't leak pools.
import pg from "pg";
import { env } from "./env";
import { log } from "./log";

const g = globalThis as unknown as { fairdialPgPool?: pg.Pool };

export function pgPool(): pg.Pool {
  if (!g.fairdialPgPool) {
    const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 5 });
    // An idle client losing its connection emits on the pool; unhandled, that would crash the process.
    pool.on("error", (err) => log.warn({ err }, "idle postgres client failed"));
    g.fairdialPgPool = pool;
  }
  return g.fairdialPgPool;
}

/** For scripts and tests that must exit: closes the shared pool if it was opened. */
export async function closePgPool(): Promise<void> {
  const pool = g.fairdialPgPool;
  g.fairdialPgPool = undefined;
  await pool?.end();
}

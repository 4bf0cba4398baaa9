// A plain pg pool for what Prisma cannot do: streaming COPY inside one transaction (lead imports) and the
// dispatch engine's set-based statements. Sessions run in UTC because Prisma stores timestamps as UTC wall time.
// Lazy and cached on globalThis, like lib/redis.ts, so Next's dev reloads don't leak pools.
import pg from "pg";
import { env } from "./env";
import { log } from "./log";

// Prisma's DateTime columns are `timestamp(3)` holding UTC; read them as UTC whatever the process's zone is.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (value) => new Date(`${value.replace(" ", "T")}Z`));

const g = globalThis as unknown as { fairdialPgPool?: pg.Pool };

export function pgPool(): pg.Pool {
  if (!g.fairdialPgPool) {
    const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: Number(process.env.PG_POOL_MAX ?? 10), options: "-c TimeZone=UTC" });
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

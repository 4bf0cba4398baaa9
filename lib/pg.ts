// A plain pg pool for what Prisma cannot do: streaming COPY inside one transaction (lead imports) and the
// dispatch engine's set-based statements. Sessions run in UTC because Prisma stores timestamps as UTC wall time.
// Lazy and cached on globalThis, like lib/redis.ts, so Next's dev reloads don't leak pools.
import pg from "pg";
import { env } from "./env";
import { log } from "./log";

// Prisma's DateTime columns are `timestamp(3)` holding UTC; read them as UTC whatever the process's zone is.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (value) => new Date(`${value.replace(" ", "T")}Z`));

/**
 * Postgres ends a session left idle inside a transaction this long, which frees its locks and its pool slot:
 * a request that hung mid-transaction must not hold them until the process restarts. Prisma's interactive
 * transactions give up after 5 s and an import streams continuously, so neither comes close.
 */
export const IDLE_IN_TRANSACTION_MS = 60_000;
/** A request that cannot get a connection this quickly fails instead of queueing behind a stuck pool forever. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * Web requests only: pages and API reads answer in well under a second, so a statement running this long is
 * runaway and must not keep a connection. The worker's set-based statements over a big campaign have no such
 * bound, and an import lifts it for its own transaction (its COPY streams as long as the upload does).
 */
const WEB_STATEMENT_TIMEOUT_MS = 30_000;

export type PoolRole = "web" | "worker";

/** Settings shared by this pool and Prisma's (lib/db.ts); Next sets NEXT_RUNTIME in the web server only. */
export function pgPoolConfig(max: number, role: PoolRole = process.env.NEXT_RUNTIME === "nodejs" ? "web" : "worker"): pg.PoolConfig {
  const config = env();
  // Behind PgBouncer (transaction mode) a server connection serves many clients: session settings cannot be sent
  // at connect. The database's own default time zone is UTC (migration 20261202080000_utc_database).
  if (config.DATABASE_POOLER === "pgbouncer") return { connectionString: config.DATABASE_URL, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS };
  return {
    connectionString: config.DATABASE_URL,
    max,
    options: "-c TimeZone=UTC",
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    ...(role === "web" ? { statement_timeout: WEB_STATEMENT_TIMEOUT_MS } : {}),
  };
}

const g = globalThis as unknown as { fairdialPgPool?: pg.Pool };

export function pgPool(): pg.Pool {
  if (!g.fairdialPgPool) {
    const pool = new pg.Pool(pgPoolConfig(env().PG_POOL_MAX));
    // An idle client losing its connection emits on the pool; unhandled, that would crash the process.
    pool.on("error", (err) => log.warn({ err }, "idle postgres client failed"));
    // A checked-out client can lose it too with no query pending: a process frozen mid-transaction whose session
    // Postgres ended (idle_in_transaction_session_timeout) hears of it when it wakes. Its next query fails and
    // rolls back; the event itself must not crash the process.
    pool.on("connect", (client) => client.on("error", (err) => log.warn({ err }, "postgres connection lost while in use")));
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

export interface TransactionOptions {
  /** This transaction's own idle_in_transaction_session_timeout (SET LOCAL, so also through PgBouncer). */
  idleInTransactionMs?: number;
}

/** BEGIN, with the transaction's own settings in the same round trip. */
export function beginStatement(options: TransactionOptions = {}): string {
  return options.idleInTransactionMs === undefined ? "BEGIN" : `BEGIN; SET LOCAL idle_in_transaction_session_timeout = ${Math.round(options.idleInTransactionMs)}`;
}

/** Runs `fn` in a transaction on one connection of `pool`: committed when it returns, rolled back when it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(beginStatement(options));
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

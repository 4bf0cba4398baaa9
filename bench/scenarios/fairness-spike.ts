// Scenario 8: Trigger.dev's public fairness spike (six workloads × three seeds) rerun against a model of our
// scheduler in virtual time, beside their published SFQ figures. No Postgres or Redis: bench/fairness-spike/
// has the workloads, the metric and the model; `npx tsx bench/fairness-spike/run.ts` runs it alone.
import { DEFAULT_RUNTIME, type RuntimeOptions } from "../fairness-spike/runtime-model";
import { SCENARIO_NAMES, SEEDS } from "../fairness-spike/scenarios";
import { runSpike, summarize, type SpikeRun, type SpikeSummary } from "../fairness-spike/spike";
import { verdict, type Scenario } from "../scenario";
import { formatStat, summarize as stat } from "../stats";

export const run: Scenario = async (ctx) => {
  const cfg = ctx.config.s8;
  const seeds = SEEDS.slice(0, Math.max(1, Math.min(SEEDS.length, cfg.seeds)));
  const rows = [];
  const notes = [
    `Workloads, seeds, PRNG and metric ported from triggerdotdev/trigger.dev internal-packages/run-engine/src/run-queue/fairness-spike/harness/; ` +
      `SFQ figures from its FINDINGS.md and results/*.json (means over seeds seed-a/b/c). contWorstS/W: the worst tenant's share of the dequeues made while ≥ 2 tenants had work waiting, over its weight's share.`,
    `Our side is a model, not the engine: the real allocate() and Lookahead inside a model of Scheduler.tick() (head round on wake-ups, lookahead sized from the measured rate) and of runtime.ts' tick, refill-poll and wake-up timers; ` +
      `one caller with their envConcurrencyLimit as lines; SCHEDULER_TICK_MS ${DEFAULT_RUNTIME.tickMs}, REFILL_POLL_MS ${DEFAULT_RUNTIME.refillPollMs}, ${cfg.tickLatencyMs} ms from a tick's reads to its jobs in the queue; ` +
      `a later poisson arrival is a campaign started (a wake-up). bench/fairness-spike/model.int.test.ts checks the model's queue order against the real Scheduler's.`,
    `Time scale: their logical ms × scale as real ms. × 1 is their workload as published (25–50 ms holds: a line frees every few ms, shorter than one of our ticks); × 1000 turns the holds into calls of 25–50 s, the regime fairdial runs in.`,
  ];
  const data: Record<string, unknown> = { config: cfg, seeds };
  for (const timeScale of cfg.timeScales) {
    const options: Partial<RuntimeOptions> = { tickLatencyMs: cfg.tickLatencyMs, timeScale };
    const fair = runSpike(SCENARIO_NAMES, seeds, options);
    const fifo = runSpike(SCENARIO_NAMES, seeds, { ...options, scheduler: { mode: "fifo" } });
    ctx.log(`× ${timeScale}: ${fair.length + fifo.length} simulated runs`);
    const summaries = summarize(fair);
    const fifoSummaries = new Map(summarize(fifo).map((s) => [s.scenario, s]));
    const values = (runs: SpikeRun[], scenario: string, pick: (r: SpikeRun) => number) => stat(runs.filter((r) => r.scenario === scenario).map(pick));
    for (const s of summaries) {
      rows.push({
        metric: `${s.scenario}, time × ${timeScale}: contWorstS/W, mean of ${seeds.length} seed(s) (min–max)`,
        fifo: formatMean(fifoSummaries.get(s.scenario)!),
        fair: formatMean(s),
        target: `≥ ${s.sfq.toFixed(3)} (their SFQ)`,
        verdict: verdict(s.meets),
      });
      const p50 = values(fair, s.scenario, (r) => r.lightWaitP50);
      const p99 = values(fair, s.scenario, (r) => r.lightWaitP99);
      notes.push(
        `${s.scenario}, × ${timeScale}: light tenants' wait p50 ${formatStat(p50, 0, " ms")}, p99 ${formatStat(p99, 0, " ms")} (median over seeds, logical ms); worst contender ${[...new Set(fair.filter((r) => r.scenario === s.scenario).map((r) => r.worstTenant))].join(" / ")}.`,
      );
    }
    data[`scale${timeScale}`] = { fair, fifo, summaries };
  }
  return { rows, notes, data };
};

function formatMean(s: SpikeSummary) {
  return s.min === s.max ? s.mean.toFixed(3) : `${s.mean.toFixed(3)} (${s.min.toFixed(3)}–${s.max.toFixed(3)})`;
}

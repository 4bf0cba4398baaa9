// Scenario 5: a single tenant, nobody to be fair to. Fair mode must not leave callers idle: its throughput over
// fifo's. fifo pours the whole backlog into the queue up front and then its callers never wait for a scheduler,
// so its window starts once the pour is done: the comparison is against callers that are never starved.
import os from "node:os";
import type { CpuGroups } from "../cpu";
import { pendingLeft, sleep } from "../measure";
import { runShares, totals } from "../share-run";
import { verdict, type Scenario } from "../scenario";
import { formatStat, percentile, summarize } from "../stats";

const POUR_TIMEOUT_MS = 180_000;

export const run: Scenario = async (ctx) => {
  const cfg = ctx.config.s5;
  const specs = [{ name: "lone", campaignLeads: [cfg.leads] }];
  const rates: Record<"fifo" | "fair", number[]> = { fifo: [], fair: [] };
  const empty: Record<"fifo" | "fair", number[]> = { fifo: [], fair: [] };
  const claimMs: number[] = [];
  const pourS: number[] = [];
  /** CPU-seconds per 1,000 dials in the window, all processes on the box but "other" (someone else's work). */
  const cpuPerK: Record<"fifo" | "fair", number[]> = { fifo: [], fair: [] };
  const cores: Record<"fifo" | "fair", CpuGroups[]> = { fifo: [], fair: [] };
  /** Postgres' time by statement over every repeat's window, and the dials those windows made, per mode. */
  const pgTime: Record<"fifo" | "fair", PgTotals | null> = { fifo: null, fair: null };
  const problems: string[] = [];
  for (let r = 0; r < ctx.config.repeats; r++) {
    for (const mode of ["fifo", "fair"] as const) {
      ctx.log(`repeat ${r + 1}/${ctx.config.repeats} ${mode}`);
      const afterPour =
        mode === "fifo"
          ? async (startedAt: number, tenants: { campaignIds: string[] }[]) => {
              while ((await pendingLeft(tenants[0]!.campaignIds)) > 0 && Date.now() - startedAt < POUR_TIMEOUT_MS) await sleep(50);
              pourS.push((Date.now() - startedAt) / 1000);
              return Date.now();
            }
          : undefined;
      const res = await runShares(ctx, mode, specs, { warmupS: cfg.warmupS, durationS: cfg.durationS, bucketS: cfg.durationS }, { warmupAfter: afterPour, analyzeBeforeWarmup: true, pgStatements: true });
      const dialsPerS = totals(res)[0]! / cfg.durationS;
      if (res.pg) {
        const acc = (pgTime[mode] ??= { byStatement: new Map(), dials: 0, seconds: 0, autovacuums: 0, autoanalyzes: 0, deadRows: {} });
        for (const st of res.pg.statements) {
          const row = acc.byStatement.get(st.query) ?? { calls: 0, planMs: 0, execMs: 0, blocks: 0 };
          acc.byStatement.set(st.query, { calls: row.calls + st.calls, planMs: row.planMs + st.planMs, execMs: row.execMs + st.execMs, blocks: row.blocks + st.blocks });
        }
        acc.dials += totals(res)[0]!;
        acc.seconds += cfg.durationS;
        acc.autovacuums += res.pg.autovacuums;
        acc.autoanalyzes += res.pg.autoanalyzes;
        acc.deadRows = res.pg.deadRows;
      }
      rates[mode].push(dialsPerS);
      if (res.cpuCores && dialsPerS > 0) {
        const ours = res.cpuCores.postgres + res.cpuCores.redis + res.cpuCores.callers + res.cpuCores.scheduler;
        cpuPerK[mode].push((ours / dialsPerS) * 1000);
        cores[mode].push(res.cpuCores);
      }
      empty[mode].push(res.emptyQueueShare * 100);
      if (mode === "fair" && res.statements.claim) claimMs.push(res.statements.claim.p50Ms);
      if (mode === "fair" && res.pendingAtEnd[0] === 0) problems.push(`fair repeat ${r + 1} ran out of leads: raise s5.leads`);
      if (mode === "fifo" && res.depthAtEnd === 0) problems.push(`fifo repeat ${r + 1} emptied its queue inside the window: raise s5.leads`);
    }
  }
  const ratio = summarize(rates.fair.map((f, i) => f / rates.fifo[i]!));
  // On a CPU-bound box the throughput ratio cannot exceed the inverse ratio of CPU per dial: fair claims and
  // publishes its leads inside the window, fifo did that before it (the pour).
  const ceiling = cpuPerK.fair.length > 0 && cpuPerK.fair.length === cpuPerK.fifo.length ? summarize(cpuPerK.fifo.map((f, i) => f / cpuPerK.fair[i]!)) : null;
  return {
    rows: [
      { metric: "throughput (dials/s)", fifo: formatStat(summarize(rates.fifo), 0), fair: formatStat(summarize(rates.fair), 0), target: "—", verdict: verdict(null) },
      { metric: "fair ÷ fifo throughput (work conservation)", fifo: "—", fair: formatStat(ratio, 3) + (problems.length > 0 ? " ⚠ a backlog ran out" : ""), target: "≥ 0.97", verdict: verdict(ratio.median >= 0.97) },
      ...(ceiling
        ? [
            { metric: "CPU-seconds per 1,000 dials in the window (Postgres + Redis + scheduler and caller)", fifo: formatStat(summarize(cpuPerK.fifo), 2), fair: formatStat(summarize(cpuPerK.fair), 2), target: "—", verdict: verdict(null) },
            { metric: "fifo ÷ fair CPU per dial: the ratio's ceiling on a CPU-bound box", fifo: "—", fair: formatStat(ceiling, 3), target: "—", verdict: verdict(null) },
          ]
        : []),
      { metric: "queue found empty (callers idle), % of 100 ms samples", fifo: formatStat(summarize(empty.fifo), 1, "%"), fair: formatStat(summarize(empty.fair), 1, "%"), target: "—", verdict: verdict(null) },
    ],
    notes: [
      `${cfg.leads.toLocaleString("en-US")} leads; fair measured ${cfg.warmupS}–${cfg.warmupS + cfg.durationS} s after the start, fifo over ${cfg.durationS} s starting ${cfg.warmupS} s after its pour, which took ${formatStat(summarize(pourS), 1, " s")}.`,
      "Judged on the median ratio over repeats (pairs of back-to-back fifo and fair runs), since the box is shared. " +
        "Both modes ANALYZE Lead before the warm-up, so both run on statistics of their steady state rather than of the freshly seeded table " +
        "(every lead PENDING), under which statements that filter Lead by status can be planned from the status index; fifo, with every lead queued, would suffer most.",
      `Fair mode's claim statement took ${formatStat(summarize(claimMs), 1, " ms")} (p50 per run) while it refilled the lookahead of ${ctx.config.targetDepth} jobs; ` +
        "the scheduler shares the two cores with the caller, Postgres and Redis, so its CPU time is taken from dialing.",
      ...(ceiling ? [`Cores used in the window (of ${os.cpus().length}), median per group: fifo ${coreLine(cores.fifo)}; fair ${coreLine(cores.fair)}. When both modes use the whole box, throughput follows CPU per dial, so fair ÷ fifo cannot beat fifo's CPU per dial ÷ fair's: the claims and job adds fair makes while dialing are work fifo did in its pour, before the window.`] : []),
      ...(["fifo", "fair"] as const).flatMap((m) => (pgTime[m] ? [pgLine(m, pgTime[m]!)] : [])),
      ...problems,
    ],
    data: { config: cfg, cpuSecondsPer1000Dials: { fifo: cpuPerK.fifo, fair: cpuPerK.fair }, cores, cpuCeiling: ceiling, dialsPerSecond: { fifo: summarize(rates.fifo), fair: summarize(rates.fair) }, ratio, fifoPourSeconds: summarize(pourS), emptyQueuePercent: { fifo: summarize(empty.fifo), fair: summarize(empty.fair) }, fairClaimP50Ms: summarize(claimMs),
      postgresByStatement: Object.fromEntries((["fifo", "fair"] as const).map((m) => [m, pgTime[m] && { ...pgTime[m], byStatement: Object.fromEntries(pgTime[m]!.byStatement) }])) },
  };
};

/** pg_stat_statements summed over a mode's windows, with the dials and seconds they cover. */
interface PgTotals {
  byStatement: Map<string, { calls: number; planMs: number; execMs: number; blocks: number }>;
  dials: number;
  seconds: number;
  autovacuums: number;
  autoanalyzes: number;
  /** Dead row versions at the end of the last window. */
  deadRows: Record<string, number>;
}

/** Where Postgres spent its time in a mode's windows: per 1,000 dials, the statements that took most of it. */
function pgLine(mode: string, t: PgTotals) {
  const perK = (ms: number) => (t.dials > 0 ? (ms / t.dials) * 1000 : 0);
  const rows = [...t.byStatement].map(([query, r]) => ({ query, ...r, ms: r.planMs + r.execMs })).sort((a, b) => b.ms - a.ms);
  const total = rows.reduce((s, r) => s + r.ms, 0);
  const planned = rows.reduce((s, r) => s + r.planMs, 0);
  const top = rows.slice(0, 6).map((r) => `${r.query} ${Math.round(perK(r.ms))} ms (${Math.round(r.calls / t.seconds)}/s, planning ${Math.round((100 * r.planMs) / Math.max(1, r.ms))} %, ${(r.blocks / Math.max(1, t.dials)).toFixed(0)} buffers per dial)`);
  return (
    `Postgres statement time in ${mode}'s windows (pg_stat_statements, planning included): ${Math.round(perK(total))} ms per 1,000 dials, ${Math.round((100 * planned) / Math.max(1, total))} % of it planning; ` +
    `autovacuum ${t.autovacuums} and autoanalyze ${t.autoanalyzes} runs began inside, dead row versions at the end ${Object.entries(t.deadRows).map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`).join(", ")}. Most of it: ${top.join("; ")}.`
  );
}

function coreLine(samples: CpuGroups[]) {
  const groups = ["postgres", "redis", "scheduler", "other"] as const;
  return groups.map((g) => `${g === "scheduler" ? "scheduler + caller" : g} ${percentile(samples.map((s) => s[g]), 50).toFixed(2)}`).join(", ");
}

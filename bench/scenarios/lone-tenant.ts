// Scenario 5: a single tenant, nobody to be fair to. Fair mode must not leave callers idle: its throughput over
// fifo's. fifo pours the whole backlog into the queue up front and then its callers never wait for a scheduler,
// so its window starts once the pour is done: the comparison is against callers that are never starved.
import { pendingLeft, sleep } from "../measure";
import { runShares, totals } from "../share-run";
import { verdict, type Scenario } from "../scenario";
import { formatStat, summarize } from "../stats";

const POUR_TIMEOUT_MS = 180_000;

export const run: Scenario = async (ctx) => {
  const cfg = ctx.config.s5;
  const specs = [{ name: "lone", campaignLeads: [cfg.leads] }];
  const rates: Record<"fifo" | "fair", number[]> = { fifo: [], fair: [] };
  const empty: Record<"fifo" | "fair", number[]> = { fifo: [], fair: [] };
  const claimMs: number[] = [];
  const pourS: number[] = [];
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
      const res = await runShares(ctx, mode, specs, { warmupS: cfg.warmupS, durationS: cfg.durationS, bucketS: cfg.durationS }, { warmupAfter: afterPour, analyzeBeforeWarmup: true });
      rates[mode].push(totals(res)[0]! / cfg.durationS);
      empty[mode].push(res.emptyQueueShare * 100);
      if (mode === "fair" && res.statements.claim) claimMs.push(res.statements.claim.p50Ms);
      if (mode === "fair" && res.pendingAtEnd[0] === 0) problems.push(`fair repeat ${r + 1} ran out of leads: raise s5.leads`);
      if (mode === "fifo" && res.depthAtEnd === 0) problems.push(`fifo repeat ${r + 1} emptied its queue inside the window: raise s5.leads`);
    }
  }
  const ratio = summarize(rates.fair.map((f, i) => f / rates.fifo[i]!));
  return {
    rows: [
      { metric: "throughput (dials/s)", fifo: formatStat(summarize(rates.fifo), 0), fair: formatStat(summarize(rates.fair), 0), target: "—", verdict: verdict(null) },
      { metric: "fair ÷ fifo throughput (work conservation)", fifo: "—", fair: formatStat(ratio, 3) + (problems.length > 0 ? " ⚠ a backlog ran out" : ""), target: "≥ 0.95", verdict: verdict(ratio.median >= 0.95) },
      { metric: "queue found empty (callers idle), % of 100 ms samples", fifo: formatStat(summarize(empty.fifo), 1, "%"), fair: formatStat(summarize(empty.fair), 1, "%"), target: "—", verdict: verdict(null) },
    ],
    notes: [
      `${cfg.leads.toLocaleString("en-US")} leads; fair measured ${cfg.warmupS}–${cfg.warmupS + cfg.durationS} s after the start, fifo over ${cfg.durationS} s starting ${cfg.warmupS} s after its pour, which took ${formatStat(summarize(pourS), 1, " s")}.`,
      "Judged on the median ratio over repeats (pairs of back-to-back fifo and fair runs), since the box is shared. " +
        "Both modes ANALYZE Lead before the warm-up, so both run on statistics of their steady state rather than of the freshly seeded table " +
        "(every lead PENDING), under which statements that filter Lead by status can be planned from the status index; fifo, with every lead queued, would suffer most.",
      `Fair mode's claim statement took ${formatStat(summarize(claimMs), 1, " ms")} (p50 per run) while it refilled the lookahead of ${ctx.config.targetDepth} jobs; ` +
        "the scheduler shares the two cores with the caller, Postgres and Redis, so its CPU time is taken from dialing.",
      ...problems,
    ],
    data: { config: cfg, dialsPerSecond: { fifo: summarize(rates.fifo), fair: summarize(rates.fair) }, ratio, fifoPourSeconds: summarize(pourS), emptyQueuePercent: { fifo: summarize(empty.fifo), fair: summarize(empty.fair) }, fairClaimP50Ms: summarize(claimMs) },
  };
};

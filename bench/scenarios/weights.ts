// Scenario 3: tenants with weights 1:2:4 and large backlogs. Each tenant's share of the dials in the window over
// the share its weight entitles it to (w / Σw): 1 is exact. fifo ignores weights.
import { ranDry, runShares, totals } from "../share-run";
import { verdict, type Scenario } from "../scenario";
import { formatStat, summarize, type Stat } from "../stats";

export const run: Scenario = async (ctx) => {
  const cfg = ctx.config.s3;
  const sum = cfg.weights.reduce((a, b) => a + b, 0);
  const names = cfg.weights.map((w, i) => `W${w}-${i + 1}`);
  // Equal backlogs: whichever tenant starts first has the queue to itself for a tick and claims a whole
  // lookahead, so a backlog sized to its weight could run dry before the window even opens.
  const specs = cfg.weights.map((weight, i) => ({ name: names[i]!, weight, campaignLeads: [cfg.leadsPerTenant] }));
  const ratios: Record<"fifo" | "fair", number[][]> = { fifo: [], fair: [] };
  const dry = new Set<string>();
  for (let r = 0; r < ctx.config.repeats; r++) {
    for (const mode of ["fifo", "fair"] as const) {
      ctx.log(`repeat ${r + 1}/${ctx.config.repeats} ${mode}`);
      const res = await runShares(ctx, mode, specs, { warmupS: cfg.warmupS, durationS: cfg.durationS, bucketS: cfg.durationS });
      const counts = totals(res);
      const all = counts.reduce((a, b) => a + b, 0);
      ratios[mode].push(counts.map((c, i) => c / Math.max(1, all) / (cfg.weights[i]! / sum)));
      for (const name of ranDry(res, names)) dry.add(name);
    }
  }
  const perTenant = (m: "fifo" | "fair") => cfg.weights.map((_, i) => summarize(ratios[m].map((run) => run[i]!)));
  const fair = perTenant("fair");
  const fifo = perTenant("fifo");
  const within = (s: Stat) => s.min >= 0.95 && s.max <= 1.05;
  return {
    rows: cfg.weights.map((w, i) => ({
      metric: `weight ${w}: achieved share ÷ entitled share (${((w / sum) * 100).toFixed(1)}%)`,
      fifo: formatStat(fifo[i]!, 3),
      fair: formatStat(fair[i]!, 3) + (dry.size > 0 ? " ⚠ a backlog ran out" : ""),
      target: "0.95–1.05",
      verdict: verdict(within(fair[i]!)),
    })),
    notes: [
      `Weights ${cfg.weights.join(":")}, measured over ${cfg.durationS} s after a ${cfg.warmupS} s warm-up, ${ctx.config.repeats} repeat(s).`,
      ...(dry.size > 0 ? [`In fair mode ${[...dry].join(", ")} ran out of leads inside the window: raise s3.leadsPerTenant.`] : []),
    ],
    data: { config: cfg, ratio: { fifo, fair }, runs: ratios },
  };
};

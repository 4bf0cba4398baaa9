// Scenario 2: ten tenants with equal weights and large backlogs, all started together. Jain's fairness index of
// their dial counts in each window (1 = everyone got the same, 1/n = one tenant got everything); fifo serves
// them in campaign start order, so a window belongs to one tenant.
import { jainIndex } from "../../lib/dispatch/fairness";
import { ranDry, runShares } from "../share-run";
import { verdict, type Scenario } from "../scenario";
import { formatStat, median, summarize } from "../stats";

export const run: Scenario = async (ctx) => {
  const cfg = ctx.config.s2;
  const names = Array.from({ length: cfg.tenants }, (_, i) => `T${i + 1}`);
  const specs = names.map((name) => ({ name, campaignLeads: [cfg.leadsPerTenant] }));
  const perRun: Record<"fifo" | "fair", { jain: number[]; dialsPerS: number; dry: string[] }[]> = { fifo: [], fair: [] };
  for (let r = 0; r < ctx.config.repeats; r++) {
    for (const mode of ["fifo", "fair"] as const) {
      ctx.log(`repeat ${r + 1}/${ctx.config.repeats} ${mode}`);
      const res = await runShares(ctx, mode, specs, { warmupS: cfg.warmupS, durationS: cfg.windowS * cfg.windows, bucketS: cfg.windowS });
      // Windows with no dials at all carry no information (Jain of all zeros is 1 by convention): skip them.
      const jain = res.buckets.filter((b) => b.size > 0).map((b) => jainIndex(res.tenants.map((t) => b.get(t.tenantId) ?? 0)));
      const dials = res.buckets.reduce((s, b) => s + [...b.values()].reduce((x, y) => x + y, 0), 0);
      perRun[mode].push({ jain, dialsPerS: dials / (cfg.windowS * cfg.windows), dry: ranDry(res, names) });
    }
  }
  const minOf = (m: "fifo" | "fair") => summarize(perRun[m].map((x) => Math.min(...x.jain)));
  const medOf = (m: "fifo" | "fair") => summarize(perRun[m].map((x) => median(x.jain)));
  const fairMin = minOf("fair");
  const dry = [...new Set(perRun.fair.flatMap((x) => x.dry))];
  const warn = dry.length > 0 ? " ⚠ a backlog ran out" : "";
  return {
    rows: [
      { metric: `Jain index per ${cfg.windowS} s window, minimum`, fifo: formatStat(minOf("fifo"), 3), fair: formatStat(fairMin, 3) + warn, target: "≥ 0.99", verdict: verdict(fairMin.min >= 0.99) },
      { metric: `Jain index per ${cfg.windowS} s window, median`, fifo: formatStat(medOf("fifo"), 3), fair: formatStat(medOf("fair"), 3) + warn, target: "≥ 0.99", verdict: verdict(medOf("fair").min >= 0.99) },
    ],
    notes: [
      `${cfg.tenants} tenants × ${cfg.leadsPerTenant.toLocaleString("en-US")} leads, ${cfg.windows} windows of ${cfg.windowS} s after a ${cfg.warmupS} s warm-up, ${ctx.config.repeats} repeat(s); ` +
        `throughput ${formatStat(summarize(perRun.fifo.map((x) => x.dialsPerS)), 0)} dials/s in fifo, ${formatStat(summarize(perRun.fair.map((x) => x.dialsPerS)), 0)} in fair mode.`,
      ...(dry.length > 0 ? [`In fair mode ${dry.join(", ")} ran out of leads inside the window: raise s2.leadsPerTenant.`] : []),
    ],
    data: { config: cfg, jainMin: { fifo: minOf("fifo"), fair: fairMin }, jainMedian: { fifo: medOf("fifo"), fair: medOf("fair") }, runs: perRun },
  };
};

// Scenario 4: one tenant runs 30 campaigns, another runs 1. Fairness is per tenant, not per campaign, so their
// dial counts should be equal: the ratio many ÷ one should be 1. The many-campaign tenant starts first.
import { ranDry, runShares, totals } from "../share-run";
import { verdict, type Scenario } from "../scenario";
import { formatStat, summarize } from "../stats";

export const run: Scenario = async (ctx) => {
  const cfg = ctx.config.s4;
  const specs = [
    { name: `${cfg.campaigns} campaigns`, campaignLeads: Array.from({ length: cfg.campaigns }, () => cfg.leadsPerCampaign) },
    { name: "1 campaign", campaignLeads: [cfg.singleLeads] },
  ];
  const ratios: Record<"fifo" | "fair", number[]> = { fifo: [], fair: [] };
  const campaignsServed: number[] = [];
  const dry = new Set<string>();
  for (let r = 0; r < ctx.config.repeats; r++) {
    for (const mode of ["fifo", "fair"] as const) {
      ctx.log(`repeat ${r + 1}/${ctx.config.repeats} ${mode}`);
      const res = await runShares(ctx, mode, specs, { warmupS: cfg.warmupS, durationS: cfg.durationS, bucketS: cfg.durationS });
      const [many, one] = totals(res);
      ratios[mode].push(one === 0 ? Infinity : many! / one!);
      for (const name of ranDry(res, specs.map((s) => s.name))) dry.add(name);
      if (mode === "fair") campaignsServed.push(await servedCampaigns(res.tenants[0]!.campaignIds, res.windowStart, res.windowEnd));
    }
  }
  const fifo = summarize(ratios.fifo);
  const fair = summarize(ratios.fair);
  return {
    rows: [{ metric: `dials of the ${cfg.campaigns}-campaign tenant ÷ dials of the 1-campaign tenant`, fifo: formatStat(fifo, 3), fair: formatStat(fair, 3) + (dry.size > 0 ? " ⚠ a backlog ran out" : ""), target: "0.95–1.05", verdict: verdict(fair.min >= 0.95 && fair.max <= 1.05) }],
    notes: [
      `${cfg.campaigns} × ${cfg.leadsPerCampaign.toLocaleString("en-US")} leads vs 1 × ${cfg.singleLeads.toLocaleString("en-US")}, ${cfg.durationS} s window after ${cfg.warmupS} s, ${ctx.config.repeats} repeat(s). ` +
        `In fair mode ${formatStat(summarize(campaignsServed), 0)} of the ${cfg.campaigns} campaigns were dialed inside the window (the rotation within the tenant).`,
      ...(dry.size > 0 ? [`In fair mode "${[...dry].join('", "')}" ran out of leads inside the window.`] : []),
    ],
    data: { config: cfg, ratio: { fifo, fair }, campaignsServedInWindow: summarize(campaignsServed) },
  };
};

async function servedCampaigns(campaignIds: string[], fromMs: number, toMs: number) {
  const { pgPool } = await import("../../lib/pg");
  const { rows } = await pgPool().query(
    `SELECT count(DISTINCT "campaignId")::int AS n FROM "CallAttempt" WHERE "campaignId" = ANY($1) AND "dialedAt" >= ($2::timestamptz AT TIME ZONE 'UTC') AND "dialedAt" < ($3::timestamptz AT TIME ZONE 'UTC')`,
    [campaignIds, new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  );
  return rows[0].n as number;
}

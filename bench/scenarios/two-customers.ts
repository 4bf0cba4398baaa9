// Scenario 1, the two-customer story: tenant A starts a huge campaign; seconds later tenant B starts a small one.
// How long does B wait for its first call, and how many of A's calls go out meanwhile? B arrives several times
// (B1…Bn, separate tenants, `gapS` apart) so one expensive seed of A yields several time-to-first-dial samples.
// fifo would make B wait for all of A's backlog: past `capS` we stop waiting and report what we saw.
// The story runs at ≈20 ms calls (the queue drains constantly), then at ≈1 s and ≈20 s calls with every line busy
// with A's calls, at the engine's default lookahead and tick: there B's first call can only wait for the next line
// to free, and the goal (issue 12) is that it waits no more than that + 0.5 s.
import { parseEnv } from "../../lib/env";
import { pgPool } from "../../lib/pg";
import { SIM_PRESETS } from "../../lib/telephony/simulated";
import type { BenchConfig, S1LongCalls } from "../config";
import { analyze, resetData, seedTenant, startBenchEngine, stopEngine } from "../fixtures";
import { callsInProgressAt, dialBuckets, dialsByTenant, meanCallSeconds, sleep } from "../measure";
import { verdict, type Scenario, type ScenarioContext } from "../scenario";
import { formatNumber, formatStat, percentile, summarize } from "../stats";
import { goalData, goalNotes, goalRows, SLACK_S, type Variant } from "./two-customers-goal";

type Mode = "fifo" | "fair";

interface Arrival {
  tenantId: string;
  campaignId: string;
  startedAt: number;
  /** Null when B was still waiting at the cap. */
  firstDialAt: number | null;
  /** Queue depth just before B started. */
  depthAtStart: number;
  /** At B's first dial, or at the cap. */
  depthAtEnd: number;
  aDialsBetween: number;
  /** Of A's leads, how many were not yet dialed when B's wait ended: what fifo would still put ahead of B. */
  aUndialedAtEnd: number;
  /** Calls in progress when B started; fewer than the lines means a line was free. */
  busyAtStart: number;
  /** B's lower bound: until the next line frees after B starts (0 if one was free), ms. */
  boundMs: number;
}

export const run: Scenario = async (ctx) => {
  const fast: Variant = { calls: "20 ms", sim: "fast", cfg: ctx.config.s1, lines: ctx.config.concurrency, engine: {}, tag: "" };
  const runs = { fifo: await runMode(ctx, fast, "fifo"), fair: await runMode(ctx, fast, "fair") };
  const cfg = ctx.config.s1;
  const ttfd = (m: Mode) => runs[m].arrivals.filter((a) => a.firstDialAt !== null).map((a) => (a.firstDialAt! - a.startedAt) / 1000);
  const capped = (m: Mode) => runs[m].arrivals.filter((a) => a.firstDialAt === null);
  const cell = (m: Mode, p: number) => {
    const got = ttfd(m);
    const c = capped(m).length;
    if (c > 0 && percentile([...got, Infinity], p) === Infinity) return `> ${cfg.capS} s (${c}/${cfg.arrivals} still waiting)`;
    return `${formatNumber(percentile(got, p), 3)} s`;
  };

  const fairP99 = percentile(ttfd("fair"), 99);
  const fairAll = capped("fair").length === 0;
  // "fifo grows with the backlog": B waits at least as long as the A dials still queued ahead of it take.
  const fifoWait = runs.fifo.arrivals.map((a) => (a.firstDialAt ?? a.startedAt + cfg.capS * 1000) - a.startedAt);
  // At A's best 10-second rate, so the projection errs in fifo's favour.
  const fifoEstimates = capped("fifo").map((a) => a.aUndialedAtEnd / Math.max(1e-9, runs.fifo.aBestRate) + cfg.capS);
  const fifoWorse = Math.min(...fifoWait) / 1000 > fairP99;

  const aBetween = (m: Mode) => summarize(runs[m].arrivals.map((a) => a.aDialsBetween));
  const depth = (m: Mode) => summarize(runs[m].arrivals.map((a) => a.depthAtStart));
  const rows = [
    { metric: "B time to first dial, p50", fifo: cell("fifo", 50), fair: cell("fair", 50), target: "—", verdict: verdict(null) },
    {
      metric: `B time to first dial, p99 (n=${cfg.arrivals})`,
      fifo: cell("fifo", 99),
      fair: cell("fair", 99),
      target: "fair ≤ 1 s; fifo grows with backlog",
      verdict: verdict(fairAll && fairP99 <= 1 && fifoWorse),
    },
    {
      metric: capped("fifo").length > 0 ? "A dials between B's start and B's first dial (fifo: until the cap)" : "A dials between B's start and B's first dial",
      fifo: formatStat(aBetween("fifo"), 0),
      fair: formatStat(aBetween("fair"), 0),
      target: "—",
      verdict: verdict(null),
    },
    { metric: "queue depth when B starts", fifo: formatStat(depth("fifo"), 0), fair: formatStat(depth("fair"), 0), target: "—", verdict: verdict(null) },
  ];
  if (fifoEstimates.length > 0) {
    rows.push({
      metric: "fifo: B's projected wait (A's undialed leads ÷ A's best 10 s dial rate)",
      fifo: `≈ ${formatStat(summarize(fifoEstimates), 0, " s")}`,
      fair: "—",
      target: "—",
      verdict: verdict(null),
    });
  }
  const notes = [
    `${cfg.aLeads.toLocaleString("en-US")} leads for A; ${cfg.arrivals} B tenants with ${cfg.bLeads} leads each arrive from ${cfg.bStartS} s, every ${cfg.gapS} s; fifo waits are capped at ${cfg.capS} s.`,
    `A's dial rate: fifo ${formatNumber(runs.fifo.aRate, 0)}/s on average, ${formatNumber(runs.fifo.aBestRate, 0)}/s at its best 10 s; fair ${formatNumber(runs.fair.aRate, 0)}/s on average. ` +
      "fifo's first seconds are slow: it claims and publishes A's whole backlog while its callers compete with it for the same two cores, " +
      "on statistics taken while every lead was still PENDING (see the notes of scenario 5).",
  ];
  rows.push(...goalRows(fast, runs, false));
  notes.push(
    `Goal rows ("first dial ≤ bound + ${SLACK_S} s"): the bound is B's wait for a line. At B's start t0, the calls in progress (any tenant's attempts with dialedAt ≤ t0 < endedAt); ` +
      `if fewer than the lines, one was free and the bound is 0, else it is the earliest endedAt − t0. The 20 ms rows use the run above (lookahead ${ctx.config.targetDepth}, tick ${ctx.config.tickMs} ms).`,
  );
  const long: Record<string, unknown> = {};
  for (const [calls, lc] of [["1 s", cfg.calls1s], ["20 s", cfg.calls20s]] as const) {
    if (lc.arrivals === 0) continue;
    const variant = longVariant(ctx.config, calls, lc);
    const lruns = { fifo: await runMode(ctx, variant, "fifo"), fair: await runMode(ctx, variant, "fair") };
    rows.push(...goalRows(variant, lruns, true));
    notes.push(...goalNotes(variant, lruns));
    long[calls] = { config: lc, tickMs: variant.engine.tickMs, targetDepth: 2 * lc.lines, goal: goalData(variant, lruns), runs: lruns };
  }
  return {
    rows,
    notes,
    data: {
      config: cfg,
      ttfdSeconds: { fifo: summarize(ttfd("fifo")), fair: summarize(ttfd("fair")) },
      cappedArrivals: { fifo: capped("fifo").length, fair: capped("fair").length },
      aDialsBetween: { fifo: aBetween("fifo"), fair: aBetween("fair") },
      depthAtStart: { fifo: depth("fifo"), fair: depth("fair") },
      fifoProjectedWaitSeconds: summarize(fifoEstimates),
      goal: goalData(fast, runs),
      runs,
      longCalls: long,
    },
  };
};

async function runMode(ctx: ScenarioContext, variant: Variant, mode: Mode) {
  const { config } = ctx;
  const cfg = variant.cfg;
  const tag = variant.tag ? `${variant.tag} ${mode}` : mode;
  await resetData();
  ctx.log(`${tag}: seeding A with ${cfg.aLeads.toLocaleString("en-US")} leads and ${cfg.arrivals} B tenants with ${cfg.bLeads} each`);
  const a = await seedTenant([cfg.aLeads], { name: "A" });
  const bs = [];
  for (let i = 0; i < cfg.arrivals; i++) bs.push(await seedTenant([cfg.bLeads], { name: `B${i + 1}` }));
  await analyze();

  const engine = await startBenchEngine(config, mode, variant.engine);
  const depthNow = async () => (await engine.scheduler.scheduler.capacity()).depth;
  const arrivals: Arrival[] = [];
  let t0 = 0;
  let end = 0;
  try {
    t0 = (await engine.start(a.tenantId, a.campaignIds[0]!)).startedAt!.getTime();
    ctx.log(`${tag}: A started; B arrives at +${cfg.bStartS} s, every ${cfg.gapS} s`);
    const open = new Set<Arrival>();
    let next = 0;
    let lastResolved = 0;
    while (next < bs.length || open.size > 0 || Date.now() < lastResolved + cfg.tailS * 1000) {
      if (next < bs.length && Date.now() >= t0 + (cfg.bStartS + next * cfg.gapS) * 1000) {
        const b = bs[next++]!;
        const depthAtStart = await depthNow();
        const started = await engine.start(b.tenantId, b.campaignIds[0]!);
        const arrival: Arrival = {
          tenantId: b.tenantId,
          campaignId: b.campaignIds[0]!,
          startedAt: started.startedAt!.getTime(),
          firstDialAt: null,
          depthAtStart,
          depthAtEnd: 0,
          aDialsBetween: 0,
          aUndialedAtEnd: 0,
          busyAtStart: 0,
          boundMs: 0,
        };
        arrivals.push(arrival);
        open.add(arrival);
      }
      if (open.size > 0) {
        const firsts = await firstDials([...open].map((o) => o.campaignId));
        for (const arrival of [...open]) {
          const first = firsts.get(arrival.campaignId);
          const capAt = arrival.startedAt + cfg.capS * 1000;
          if (first == null && Date.now() < capAt) continue;
          arrival.firstDialAt = first ?? null;
          arrival.depthAtEnd = await depthNow();
          open.delete(arrival);
          lastResolved = Date.now();
          ctx.log(`${tag}: B${arrivals.indexOf(arrival) + 1} ${first != null ? `first dial after ${((first - arrival.startedAt) / 1000).toFixed(3)} s` : `still waiting after ${cfg.capS} s (queue depth ${arrival.depthAtEnd})`}`);
        }
      }
      await sleep(25);
    }
    end = Date.now();
  } finally {
    await stopEngine(engine);
  }

  // Read back after the engine stopped, so the counting does not compete with dispatch.
  const aTotal = (await dialsByTenant(t0, end, [a.tenantId])).get(a.tenantId) ?? 0;
  for (const arrival of arrivals) {
    const until = arrival.firstDialAt ?? arrival.startedAt + cfg.capS * 1000;
    arrival.aDialsBetween = (await dialsByTenant(arrival.startedAt + 1, until, [a.tenantId])).get(a.tenantId) ?? 0;
    arrival.aUndialedAtEnd = cfg.aLeads - ((await dialsByTenant(t0, until, [a.tenantId])).get(a.tenantId) ?? 0);
    const { busy, firstEndMs } = await callsInProgressAt(arrival.startedAt);
    arrival.busyAtStart = busy;
    arrival.boundMs = busy < variant.lines ? 0 : firstEndMs === null ? NaN : Math.max(0, firstEndMs - arrival.startedAt);
  }
  const bIds = new Set(bs.map((b) => b.tenantId));
  const buckets = await dialBuckets(t0, end, 1000);
  const series = {
    seconds: buckets.map((_, i) => i),
    A: buckets.map((b) => b.get(a.tenantId) ?? 0),
    B: buckets.map((b) => [...b].filter(([t]) => bIds.has(t)).reduce((s, [, n]) => s + n, 0)),
  };
  const aPerSecond = series.A;
  let aBest = 0;
  for (let i = 0; i + 10 <= aPerSecond.length; i++) aBest = Math.max(aBest, aPerSecond.slice(i, i + 10).reduce((x, y) => x + y, 0) / 10);
  return {
    t0,
    durationS: (end - t0) / 1000,
    aRate: aTotal / Math.max(1e-9, (end - t0) / 1000),
    aBestRate: aBest || aTotal / Math.max(1e-9, (end - t0) / 1000),
    aMeanCallS: await meanCallSeconds(a.tenantId),
    arrivals: arrivals.map((x) => ({ ...x, startOffsetS: (x.startedAt - t0) / 1000, ttfdS: x.firstDialAt === null ? null : (x.firstDialAt - x.startedAt) / 1000, boundS: x.boundMs / 1000 })),
    series,
  };
}

/** Campaign.firstDialAt is stamped by the caller's claimDials in the statement that marks the lead dialing. */
async function firstDials(campaignIds: string[]) {
  const { rows } = await pgPool().query(`SELECT id, "firstDialAt" FROM "Campaign" WHERE id = ANY($1) AND "firstDialAt" IS NOT NULL`, [campaignIds]);
  return new Map(rows.map((r) => [r.id as string, (r.firstDialAt as Date).getTime()]));
}

/** A long-call run: its own lines, the engine's default lookahead (QUEUE_TARGET_DEPTH unset) and tick, as users run it. */
function longVariant(config: BenchConfig, calls: string, lc: S1LongCalls): Variant {
  const preset = SIM_PRESETS[lc.sim as keyof typeof SIM_PRESETS];
  if (!preset) throw new Error(`s1: no SIM_PRESETS.${lc.sim} (${Object.keys(SIM_PRESETS).join(", ")})`);
  // The schema's default, not the shell's SCHEDULER_TICK_MS.
  const tickMs = parseEnv({}).SCHEDULER_TICK_MS;
  return { calls, sim: lc.sim, cfg: lc, lines: lc.lines, engine: { concurrency: lc.lines, targetDepth: undefined, tickMs, sim: { ...preset, seed: config.seed } }, tag: `${calls} calls` };
}

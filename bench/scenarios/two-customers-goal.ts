// Scenario 1's goal (issue 12): a tenant with nothing queued that starts a campaign gets its first call placed
// within the next free line + 0.5 s, whatever the call length, with every line busy with another tenant's calls.
// These rows set each arrival's first-dial latency against that lower bound (computed by two-customers.ts from
// the attempt rows: the earliest end among the calls in progress when B started, or 0 if a line was free).
import type { S1Arrivals } from "../config";
import type { HarnessOptions } from "../../lib/test/engine-harness";
import { verdict, type Row } from "../scenario";
import { formatNumber, formatStat, summarize } from "../stats";

type Mode = "fifo" | "fair";

/** The goal's allowance on top of the next free line. */
export const SLACK_S = 0.5;

/** One call length of scenario 1: its arrivals, lines and engine settings. */
export interface Variant {
  /** "20 ms", "1 s", "20 s": names the rows. */
  calls: string;
  /** The SIM_PRESETS entry the calls follow. */
  sim: string;
  cfg: S1Arrivals;
  lines: number;
  engine: Pick<HarnessOptions, "concurrency" | "targetDepth" | "tickMs" | "sim">;
  /** Log prefix; empty for the original run, whose log reads as before. */
  tag: string;
}

export interface GoalArrival {
  /** Null when B was still waiting at the cap. */
  ttfdS: number | null;
  boundS: number;
  busyAtStart: number;
  depthAtStart: number;
}

type Runs = Record<Mode, { arrivals: GoalArrival[]; aMeanCallS: number }>;

interface GoalSample {
  latencyS: number;
  boundS: number;
  /** B was still waiting at the cap: latency (and what derives from it) is at least the value shown. */
  censored: boolean;
}

function goalSamples(variant: Variant, arrivals: GoalArrival[]): GoalSample[] {
  return arrivals.map((a) => ({ latencyS: a.ttfdS ?? variant.cfg.capS, boundS: a.boundS, censored: a.ttfdS === null }));
}

const meets = (s: GoalSample) => !s.censored && s.latencyS <= s.boundS + SLACK_S;

export function goalRows(variant: Variant, runs: Runs, withLatency: boolean): Row[] {
  const samples = { fifo: goalSamples(variant, runs.fifo.arrivals), fair: goalSamples(variant, runs.fair.arrivals) };
  const p = `${variant.calls} calls:`;
  const row = (metric: string, f: (s: GoalSample) => number, censorable: boolean, unit: string, digits = 3): Row => ({
    metric: `${p} ${metric}, p50/p99/max`,
    fifo: triple(samples.fifo, f, censorable, unit, digits),
    fair: triple(samples.fair, f, censorable, unit, digits),
    target: "—",
    verdict: verdict(null),
  });
  const met = (m: Mode) => samples[m].filter(meets).length;
  const n = samples.fair.length;
  return [
    ...(withLatency ? [row(`B first dial (n=${n})`, (s) => s.latencyS, true, " s")] : []),
    row("next free line (bound)", (s) => s.boundS, false, " s"),
    row("first dial − bound", (s) => s.latencyS - s.boundS, true, " s"),
    row(`first dial ÷ (bound+${SLACK_S} s)`, (s) => s.latencyS / (s.boundS + SLACK_S), true, "", 2),
    {
      metric: `${p} first dial ≤ bound + ${SLACK_S} s, arrivals`,
      fifo: `${met("fifo")}/${samples.fifo.length}`,
      fair: `${met("fair")}/${n}`,
      target: "fair: all",
      verdict: verdict(n > 0 && met("fair") === n),
    },
  ];
}

export function goalNotes(variant: Variant, runs: Runs): string[] {
  const { cfg, lines, engine } = variant;
  const perArrival = (m: Mode) =>
    runs[m].arrivals.map((a, i) => `B${i + 1} ${a.ttfdS === null ? `> ${cfg.capS}` : formatNumber(a.ttfdS, 3)} s (bound ${formatNumber(a.boundS, 3)} s, ${a.busyAtStart}/${lines} lines busy)`).join(", ");
  return [
    `${variant.calls} calls: SIM_PRESETS.${variant.sim}, seed ${engine.sim?.seed} (A's calls lasted ${formatNumber(runs.fair.aMeanCallS, 2)} s on average), ${lines} lines, ` +
      `the engine's default lookahead (2 × ${lines} = ${2 * lines} jobs) and tick (${engine.tickMs} ms); ${cfg.aLeads.toLocaleString("en-US")} leads for A, ` +
      `${cfg.arrivals} B tenants with ${cfg.bLeads} leads each from ${cfg.bStartS} s, every ${cfg.gapS} s; waits capped at ${cfg.capS} s. ` +
      `Queue depth when B starts: fifo ${formatStat(summarize(runs.fifo.arrivals.map((a) => a.depthAtStart)), 0)}, fair ${formatStat(summarize(runs.fair.arrivals.map((a) => a.depthAtStart)), 0)}.`,
    `${variant.calls} calls, fair, each arrival's first dial: ${perArrival("fair")}.`,
    `${variant.calls} calls, fifo, each arrival's first dial: ${perArrival("fifo")}.`,
  ];
}

export function goalData(variant: Variant, runs: Runs) {
  const one = (m: Mode) => {
    const samples = goalSamples(variant, runs[m].arrivals);
    return {
      met: samples.filter(meets).length,
      n: samples.length,
      perArrival: samples.map((s) => ({ ...s, differenceS: s.latencyS - s.boundS, ratio: s.latencyS / (s.boundS + SLACK_S) })),
    };
  };
  return { slackS: SLACK_S, lines: variant.lines, fifo: one("fifo"), fair: one("fair") };
}

/** "p50 / p99 / max" over nearest ranks; a sample B was still waiting for at the cap reads "≥". */
function triple(samples: GoalSample[], f: (s: GoalSample) => number, censorable: boolean, unit: string, digits: number) {
  const sorted = samples.map((s) => ({ v: f(s), censored: censorable && s.censored })).filter((x) => !Number.isNaN(x.v)).sort((x, y) => x.v - y.v);
  if (sorted.length === 0) return "n/a";
  const at = (p: number) => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
  return [50, 99, 100].map((q) => at(q)).map((x) => `${x.censored ? "≥ " : ""}${formatNumber(x.v, digits)}`).join(" / ") + unit;
}

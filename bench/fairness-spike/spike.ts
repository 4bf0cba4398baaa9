// Runs the spike's scenarios through the model and lays the results out beside Trigger.dev's published SFQ figures.
import { computeMetrics, percentile, waitsOf } from "./metrics";
import { simulate, type RuntimeOptions } from "./runtime-model";
import { buildWorkload, LIGHT_TENANTS, SCENARIOS, SEEDS, SFQ_PUBLISHED, type ScenarioName } from "./scenarios";

export interface SpikeRun {
  scenario: ScenarioName;
  seed: string;
  contWorst: number;
  /** The worst contender (the tenant the metric is about). */
  worstTenant: string;
  /** Light tenants' waits pooled, in the workload's logical ms. */
  lightWaitP50: number;
  lightWaitP99: number;
  ticks: number;
  makespanMs: number;
}

export interface SpikeSummary {
  scenario: ScenarioName;
  sfq: number;
  mean: number;
  min: number;
  max: number;
  meets: boolean;
}

export function runSpike(scenarios: ScenarioName[] = Object.keys(SCENARIOS) as ScenarioName[], seeds = SEEDS, options: Partial<RuntimeOptions> = {}): SpikeRun[] {
  const out: SpikeRun[] = [];
  const scale = options.timeScale ?? 1;
  for (const scenario of scenarios) {
    for (const seed of seeds) {
      const workload = buildWorkload(SCENARIOS[scenario], seed);
      const sim = simulate(workload, options);
      const weights = Object.fromEntries(workload.tenants.map((t) => [t.tenantId, t.weight]));
      const metrics = computeMetrics(sim.events, weights);
      const waits = waitsOf(sim.events, LIGHT_TENANTS[scenario]).map((w) => w / scale);
      const contenders = metrics.perTenant.filter((p) => p.contentionShareOverWeight === metrics.contentionWorstShareOverWeight);
      out.push({
        scenario,
        seed,
        contWorst: metrics.contentionWorstShareOverWeight,
        worstTenant: contenders.map((p) => p.tenantId).join(", "),
        lightWaitP50: percentile(waits, 50),
        lightWaitP99: percentile(waits, 99),
        ticks: sim.ticks.length,
        makespanMs: metrics.makespanMs / scale,
      });
    }
  }
  return out;
}

/** Per scenario: our mean over the seeds against their SFQ mean (the published figures are means over seeds too). */
export function summarize(runs: SpikeRun[]): SpikeSummary[] {
  const byScenario = new Map<ScenarioName, SpikeRun[]>();
  for (const r of runs) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r]);
  return [...byScenario].map(([scenario, list]) => {
    const values = list.map((r) => r.contWorst);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sfq = SFQ_PUBLISHED[scenario];
    // Published to three decimals: compare at that precision.
    return { scenario, sfq, mean, min: Math.min(...values), max: Math.max(...values), meets: round3(mean) >= sfq };
  });
}

export function markdownTable(runs: SpikeRun[]): string {
  const summaries = new Map(summarize(runs).map((s) => [s.scenario, s]));
  const lines = [
    "| scenario | seed | ours contWorstS/W | SFQ published | light wait p50 / p99 (ms) | worst contender | verdict |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const r of runs) {
    lines.push(`| ${r.scenario} | ${r.seed} | ${r.contWorst.toFixed(3)} | ${SFQ_PUBLISHED[r.scenario].toFixed(3)} | ${fmt(r.lightWaitP50)} / ${fmt(r.lightWaitP99)} | ${r.worstTenant} | ${r.contWorst >= SFQ_PUBLISHED[r.scenario] - 0.0005 ? "≥ SFQ" : "< SFQ"} |`);
  }
  for (const s of summaries.values()) {
    lines.push(`| **${s.scenario}** | mean | **${s.mean.toFixed(3)}** (${s.min.toFixed(3)}–${s.max.toFixed(3)}) | ${s.sfq.toFixed(3)} | | | **${s.meets ? "PASS" : "MISS"}** |`);
  }
  return lines.join("\n");
}

function fmt(ms: number) {
  return Number.isInteger(ms) ? String(ms) : ms.toFixed(1);
}

function round3(v: number) {
  return Math.round(v * 1000) / 1000;
}

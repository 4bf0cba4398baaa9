// The six workloads of Trigger.dev's public fairness spike, as published in triggerdotdev/trigger.dev:
//   internal-packages/run-engine/src/run-queue/fairness-spike/harness/scenarios.ts  (the definitions, verbatim)
//   internal-packages/run-engine/src/run-queue/fairness-spike/harness/workload.ts   (buildWorkload, expSample)
// with the same seeds (fairnessSpike.bench.test.ts) and the same PRNG (./seedrandom), so every arrival time and
// hold time here is the one their harness generated. Their `queueCount` (how many base queues a tenant spreads
// its runs over) only matters to a selector that picks queues; fairdial allocates per tenant, so it is kept for
// the record and ignored. Their `envConcurrencyLimit` is the number of call lines here.
import { seedrandom, type Prng } from "./seedrandom";

export type ArrivalMode = "immediate" | "poisson";

export interface TenantConfig {
  tenantId: string;
  runCount: number;
  weight?: number;
  queueCount?: number;
  arrival?: ArrivalMode;
  ratePerSec?: number;
  holdMsMean?: number;
  startAtMs?: number;
}

export interface ScenarioConfig {
  envConcurrencyLimit: number;
  tenants: TenantConfig[];
}

export interface Run {
  tenantId: string;
  runId: string;
  enqueueAtMs: number;
  holdMs: number;
}

export interface Workload {
  seed: string;
  lines: number;
  tenants: { tenantId: string; weight: number; runCount: number; arrival: ArrivalMode; runs: Run[] }[];
}

export const SCENARIOS = {
  balanced: {
    envConcurrencyLimit: 5,
    tenants: [
      { tenantId: "t-a", runCount: 50, holdMsMean: 30 },
      { tenantId: "t-b", runCount: 50, holdMsMean: 30 },
      { tenantId: "t-c", runCount: 50, holdMsMean: 30 },
      { tenantId: "t-d", runCount: 50, holdMsMean: 30 },
    ],
  },
  adversarialSkew: {
    envConcurrencyLimit: 5,
    tenants: [
      { tenantId: "heavy", runCount: 250, queueCount: 30, holdMsMean: 25 },
      { tenantId: "light-1", runCount: 20, holdMsMean: 25 },
      { tenantId: "light-2", runCount: 20, holdMsMean: 25 },
      { tenantId: "light-3", runCount: 20, holdMsMean: 25 },
      { tenantId: "light-4", runCount: 20, holdMsMean: 25 },
      { tenantId: "light-5", runCount: 20, holdMsMean: 25 },
    ],
  },
  weighted: {
    envConcurrencyLimit: 4,
    tenants: [
      { tenantId: "big", runCount: 300, weight: 3, holdMsMean: 30 },
      { tenantId: "small", runCount: 300, weight: 1, holdMsMean: 30 },
    ],
  },
  burst: {
    envConcurrencyLimit: 6,
    tenants: Array.from({ length: 6 }, (_, i) => ({ tenantId: `burst-${i}`, runCount: 100, startAtMs: 500, holdMsMean: 20 })),
  },
  longHold: {
    envConcurrencyLimit: 4,
    tenants: [
      { tenantId: "slow-1", runCount: 40, holdMsMean: 500 },
      { tenantId: "slow-2", runCount: 40, holdMsMean: 500 },
      { tenantId: "fast-1", runCount: 40, holdMsMean: 20 },
      { tenantId: "fast-2", runCount: 40, holdMsMean: 20 },
    ],
  },
  trickleStale: {
    envConcurrencyLimit: 4,
    tenants: [
      { tenantId: "heavy", runCount: 300, queueCount: 20, holdMsMean: 25 },
      { tenantId: "trickle-1", runCount: 30, arrival: "poisson", ratePerSec: 25, holdMsMean: 25 },
      { tenantId: "trickle-2", runCount: 30, arrival: "poisson", ratePerSec: 25, holdMsMean: 25 },
    ],
  },
} satisfies Record<string, ScenarioConfig>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];
export const SEEDS = ["seed-a", "seed-b", "seed-c"];

/** contWorstS/W of their SFQ selector, mean over the three seeds (FINDINGS.md; trickleStale from results/trickleStale.json). */
export const SFQ_PUBLISHED: Record<ScenarioName, number> = {
  balanced: 0.985,
  adversarialSkew: 1.0,
  weighted: 1.0,
  burst: 0.992,
  longHold: 0.981,
  trickleStale: 0.804,
};

/**
 * Whose wait the table reports: the tenants a heavier one could starve (their FINDINGS reads light and trickle
 * waits). Where every tenant is alike (balanced, burst) that is all of them; in longHold the short-call tenants.
 */
export const LIGHT_TENANTS: Record<ScenarioName, string[]> = {
  balanced: ["t-a", "t-b", "t-c", "t-d"],
  adversarialSkew: ["light-1", "light-2", "light-3", "light-4", "light-5"],
  weighted: ["small"],
  burst: Array.from({ length: 6 }, (_, i) => `burst-${i}`),
  longHold: ["fast-1", "fast-2"],
  trickleStale: ["trickle-1", "trickle-2"],
};

/** Their buildWorkload: one PRNG for the whole workload, drawn tenant by tenant, gap (poisson) before hold. */
export function buildWorkload(config: ScenarioConfig, seed: string): Workload {
  const rng = seedrandom(seed);
  const tenants = config.tenants.map((t) => {
    const arrival = t.arrival ?? "immediate";
    const holdMsMean = t.holdMsMean ?? 50;
    const startAtMs = t.startAtMs ?? 0;
    const ratePerSec = t.ratePerSec ?? 100;
    const runs: Run[] = [];
    let cursor = startAtMs;
    for (let i = 0; i < t.runCount; i++) {
      if (arrival === "poisson" && i > 0) cursor += expSample(rng, 1000 / ratePerSec);
      const holdMs = expSample(rng, holdMsMean);
      runs.push({ tenantId: t.tenantId, runId: `${t.tenantId}#${i}`, enqueueAtMs: arrival === "immediate" ? startAtMs : cursor, holdMs });
    }
    return { tenantId: t.tenantId, weight: t.weight ?? 1, runCount: t.runCount, arrival, runs };
  });
  return { seed, lines: config.envConcurrencyLimit, tenants };
}

function expSample(rng: Prng, meanMs: number): number {
  return Math.max(1, Math.round(-Math.log(1 - rng()) * meanMs));
}

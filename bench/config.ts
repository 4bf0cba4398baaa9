// Every size and duration of `npm run bench`, with the full defaults, the --quick ones and `--set key=value`
// overrides. Plain data, no lib/ imports: run.ts reads it before the environment exists.

export interface BenchConfig {
  /** Day of the run (YYYY-MM-DD): names the result files. */
  date: string;
  quick: boolean;
  outDir: string;
  /** Scenario numbers to run, 1–8. */
  only: number[];
  /** Repeats of scenarios 2–5 (each repeat runs fifo and fair back to back, so machine noise hits both). */
  repeats: number;
  /** Caller concurrency: the in-process caller of scenarios 1–5 and each caller process of scenario 6. */
  concurrency: number;
  /**
   * Lookahead of the shared queue in scenarios 1–5. The engine's default (2 × concurrency) is too shallow for
   * 20 ms simulated calls; scenario 6 measures that default next to a sized one.
   */
  targetDepth: number;
  tickMs: number;
  /** Simulated provider seed (SIM_PRESETS.fast otherwise). */
  seed: number;
  /** Scenario 6 starts its caller processes with --cpu-prof (profiles in bench/results/tmp/). */
  cpuProf: boolean;
  /** A proposed engine change to measure (bench/what-if.ts), or null for the engine as it is. */
  whatIf: string | null;
  /** Postgres settings applied with ALTER DATABASE before anything connects, for what-if runs; empty = stock. */
  pgSettings: Record<string, string>;
  s1: S1Arrivals & { calls1s: S1LongCalls; calls20s: S1LongCalls };
  s2: { tenants: number; leadsPerTenant: number; warmupS: number; windowS: number; windows: number };
  s3: { weights: number[]; leadsPerTenant: number; warmupS: number; durationS: number };
  s4: { campaigns: number; leadsPerCampaign: number; singleLeads: number; warmupS: number; durationS: number };
  s5: { leads: number; warmupS: number; durationS: number };
  s6: { processes: number[]; tenants: number; leadsPerTenant: number; targetPerProcess: number; warmupS: number; windowS: number; windows: number; noopJobs: number };
  /** outsideShare: the share of each campaign's leads that sit outside their calling window the whole run. */
  s7: { tenants: number; campaigns: number; leadCounts: number[]; budget: number; ticks: number; warmupTicks: number; outsideShare: number };
  /** Scenario 8 (a simulation): seeds 1–3 of seed-a/b/c, a tick's latency and how many real ms one of the spike's logical ms is (1 = their 25–50 ms holds; 1000 = calls of tens of seconds). */
  s8: { seeds: number; tickLatencyMs: number; timeScales: number[] };
}

/** Scenario 1's story: A starts `aLeads`, then `arrivals` B tenants of `bLeads` each, `gapS` apart from `bStartS`. */
export interface S1Arrivals {
  aLeads: number;
  bLeads: number;
  bStartS: number;
  /** 0 skips the run. */
  arrivals: number;
  gapS: number;
  /** B's wait is cut off here (fifo makes it wait for A's whole backlog). */
  capS: number;
  /** Kept running after the last B's first dial. */
  tailS: number;
}

/** Scenario 1 at a longer call length, with the engine's default lookahead (2 × lines) and SCHEDULER_TICK_MS. */
export interface S1LongCalls extends S1Arrivals {
  /** A SIM_PRESETS name: brisk ≈ 1 s calls, human ≈ 20 s. */
  sim: string;
  /** Caller concurrency: fewer lines compress time, since a line frees about every call length ÷ lines. */
  lines: number;
}

export function fullConfig(date: string): BenchConfig {
  return {
    date,
    quick: false,
    outDir: "bench/results",
    only: [1, 2, 3, 4, 5, 6, 7, 8],
    repeats: 3,
    concurrency: 100,
    targetDepth: 1000,
    tickMs: 1000,
    seed: 42,
    cpuProf: false,
    whatIf: null,
    pgSettings: {},
    // B arrives 10 times, 3 s apart, starting 10 s after A: ten time-to-first-dial samples from one 1M seed.
    // Then again at ≈1 s and ≈20 s calls, A's backlog keeping every line busy; 20 lines free one about every second.
    s1: {
      aLeads: 1_000_000,
      bLeads: 100,
      bStartS: 10,
      arrivals: 10,
      gapS: 3,
      capS: 60,
      tailS: 5,
      calls1s: { sim: "brisk", lines: 100, aLeads: 30_000, bLeads: 100, bStartS: 5, arrivals: 10, gapS: 3, capS: 30, tailS: 2 },
      calls20s: { sim: "human", lines: 20, aLeads: 5_000, bLeads: 20, bStartS: 10, arrivals: 10, gapS: 4, capS: 30, tailS: 2 },
    },
    s2: { tenants: 10, leadsPerTenant: 40_000, warmupS: 3, windowS: 10, windows: 6 },
    s3: { weights: [1, 2, 4], leadsPerTenant: 120_000, warmupS: 3, durationS: 30 },
    s4: { campaigns: 30, leadsPerCampaign: 3_000, singleLeads: 90_000, warmupS: 3, durationS: 30 },
    s5: { leads: 300_000, warmupS: 3, durationS: 30 },
    s6: { processes: [1, 2, 4], tenants: 10, leadsPerTenant: 60_000, targetPerProcess: 1000, warmupS: 5, windowS: 10, windows: 3, noopJobs: 50_000 },
    s7: { tenants: 1000, campaigns: 10_000, leadCounts: [1_000_000, 3_000_000, 10_000_000], budget: 2000, ticks: 50, warmupTicks: 3, outsideShare: 0.5 },
    s8: { seeds: 3, tickLatencyMs: 15, timeScales: [1, 1000] },
  };
}

/** Small enough that the whole run fits in the CI test command (~90 s on the 2-core box). */
export function quickConfig(date: string): BenchConfig {
  const full = fullConfig(date);
  return {
    ...full,
    quick: true,
    outDir: "bench/results/quick",
    repeats: 1,
    s1: {
      aLeads: 50_000,
      bLeads: 50,
      bStartS: 2,
      arrivals: 3,
      gapS: 1,
      capS: 3,
      tailS: 1,
      calls1s: { sim: "brisk", lines: 100, aLeads: 10_000, bLeads: 20, bStartS: 2, arrivals: 3, gapS: 1, capS: 3, tailS: 1 },
      calls20s: { ...full.s1.calls20s, arrivals: 0 },
    },
    // The warm-up outlasts the first lookahead (1000 jobs ≈ 0.8 s): the tenants start one after another, and the
    // first one alone gets a whole lookahead before the others arrive (they go to the front, but it is dialed).
    s2: { tenants: 10, leadsPerTenant: 5_000, warmupS: 1.5, windowS: 2, windows: 2 },
    s3: { weights: [1, 2, 4], leadsPerTenant: 12_000, warmupS: 1, durationS: 2 },
    s4: { campaigns: 30, leadsPerCampaign: 400, singleLeads: 12_000, warmupS: 1, durationS: 2 },
    s5: { leads: 40_000, warmupS: 0.5, durationS: 2 },
    s6: { processes: [1, 2], tenants: 10, leadsPerTenant: 6_000, targetPerProcess: 1000, warmupS: 1, windowS: 2, windows: 1, noopJobs: 5_000 },
    s7: { tenants: 100, campaigns: 1_000, leadCounts: [50_000, 100_000, 200_000], budget: 2000, ticks: 8, warmupTicks: 1, outsideShare: 0.5 },
    // Under a second in full: the quick run keeps all six scenarios × three seeds.
    s8: { seeds: 3, tickLatencyMs: 15, timeScales: [1, 1000] },
  };
}

/**
 * Applies `--set path=value`: the value is read as the type of the default it replaces (number, comma-separated
 * number list, boolean or string), so a typo in a path or a value fails before anything starts.
 */
export function applyOverride(config: BenchConfig, assignment: string): void {
  const eq = assignment.indexOf("=");
  if (eq < 1) throw new Error(`--set expects path=value, got "${assignment}"`);
  const path = assignment.slice(0, eq).split(".");
  const raw = assignment.slice(eq + 1);
  let target = config as unknown as Record<string, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    if (typeof next !== "object" || next === null || Array.isArray(next)) throw new Error(`--set: unknown setting "${path.join(".")}"`);
    target = next as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  if (!Object.hasOwn(target, last)) throw new Error(`--set: unknown setting "${path.join(".")}" (see --help)`);
  const current = target[last];
  target[last] = parseLike(current, raw, path.join("."));
}

function parseLike(current: unknown, raw: string, name: string): unknown {
  if (typeof current === "number") return toNumber(raw, name);
  if (typeof current === "boolean") return raw === "true" || raw === "1";
  if (Array.isArray(current)) return raw.split(",").map((v) => toNumber(v, name));
  if (typeof current === "string") return raw;
  throw new Error(`--set: "${name}" cannot be set this way`);
}

function toNumber(raw: string, name: string): number {
  const n = Number(raw.replaceAll("_", ""));
  if (!Number.isFinite(n)) throw new Error(`--set ${name}: "${raw}" is not a number`);
  return n;
}

/** The settable keys with their current values, for --help. */
export function describeConfig(config: BenchConfig): string[] {
  const lines: string[] = [];
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      if (["quick", "outDir", "only", "pgSettings", "date", "cpuProf", "whatIf"].includes(k)) continue;
      if (typeof v === "object" && v !== null && !Array.isArray(v)) walk(v as Record<string, unknown>, `${prefix}${k}.`);
      else lines.push(`  ${prefix}${k} = ${Array.isArray(v) ? v.join(",") : String(v)}`);
    }
  };
  walk(config as unknown as Record<string, unknown>, "");
  return lines;
}

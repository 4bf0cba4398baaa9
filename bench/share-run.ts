// The common shape of scenarios 2–5: seed some tenants, start their campaigns on the in-process engine in one
// mode, let it run past a warm-up, then count each tenant's dials per time bucket. Seeding and counting are
// outside the measured window.
import { coresBetween, cpuSnapshot, type CpuGroups } from "./cpu";
import { analyze, resetData, seedTenant, startAll, startBenchEngine, stopEngine, type SeededTenant } from "./fixtures";
import { dialBuckets, instrumentStore, pendingLeft, pgWindow, sampler, sleepUntil, type PgWindow, type StatementTiming } from "./measure";
import type { ScenarioContext } from "./scenario";

export interface TenantSpec {
  name: string;
  weight?: number;
  campaignLeads: number[];
}

export interface ShareRun {
  mode: "fifo" | "fair";
  tenants: SeededTenant[];
  /** Per bucket, dials per tenant id. */
  buckets: Map<string, number>[];
  windowStart: number;
  windowEnd: number;
  /**
   * Leads still pending per tenant at the end (fair mode: 0 means that tenant ran dry inside the window). fifo
   * pours everything into the queue at once, so there the queue depth at the end says whether work was left.
   */
  pendingAtEnd: number[];
  depthAtEnd: number;
  /** Share of the queue-depth samples (every 100 ms in the window) that found the queue empty: callers starved. */
  emptyQueueShare: number;
  /** Cores used in the window per process group (this process runs the scheduler and the caller); null off Linux. */
  cpuCores: CpuGroups | null;
  /** The scheduler's statements during the run (it runs in this process). */
  statements: Record<string, StatementTiming>;
  /** Postgres' account of the window (pg_stat_statements), when asked for and available. */
  pg: PgWindow | null;
}

export async function runShares(
  ctx: ScenarioContext,
  mode: "fifo" | "fair",
  specs: TenantSpec[],
  window: { warmupS: number; durationS: number; bucketS: number },
  options: {
    /** When the warm-up may begin, given the time all campaigns were started (lone-tenant waits for fifo's pour). */
    warmupAfter?: (allStarted: number, tenants: SeededTenant[]) => Promise<number>;
    /**
     * ANALYZE before the warm-up. The statistics taken after seeding say every lead is PENDING; once dispatch
     * has moved leads on, statements joining Lead next to a status predicate can be planned badly until autovacuum
     * re-analyzes, at a moment nobody controls. Where throughput is compared, both modes get fresh statistics.
     */
    analyzeBeforeWarmup?: boolean;
    /** Read pg_stat_statements over the window: which statements Postgres spent its time on. */
    pgStatements?: boolean;
  } = {},
): Promise<ShareRun> {
  await resetData();
  const tenants: SeededTenant[] = [];
  for (const spec of specs) tenants.push(await seedTenant(spec.campaignLeads, { name: spec.name, weight: spec.weight }));
  await analyze();
  const timings = instrumentStore();
  const engine = await startBenchEngine(ctx.config, mode);
  let emptyQueueShare = NaN;
  let windowStart = 0;
  let windowEnd = 0;
  let pendingAtEnd: number[] = [];
  let depthAtEnd = 0;
  let cpuCores: CpuGroups | null = null;
  let pg: PgWindow | null = null;
  try {
    await startAll(engine, tenants);
    const allStarted = Date.now();
    const warmupFrom = options.warmupAfter ? await options.warmupAfter(allStarted, tenants) : allStarted;
    if (options.analyzeBeforeWarmup) await analyze();
    windowStart = Math.max(warmupFrom, Date.now()) + window.warmupS * 1000;
    windowEnd = windowStart + window.durationS * 1000;
    await sleepUntil(windowStart);
    const depths = sampler(async () => (await engine.scheduler.scheduler.capacity()).depth);
    const pgStats = options.pgStatements ? await pgWindow() : null;
    const cpuBefore = cpuSnapshot([]);
    await sleepUntil(windowEnd);
    cpuCores = coresBetween(cpuBefore, cpuSnapshot([]), (Date.now() - windowStart) / 1000);
    pg = pgStats ? await pgStats.end() : null;
    const samples = await depths.stop();
    emptyQueueShare = samples.filter((d) => d === 0).length / Math.max(1, samples.length);
    depthAtEnd = (await engine.scheduler.scheduler.capacity()).depth;
    pendingAtEnd = await Promise.all(tenants.map((t) => pendingLeft(t.campaignIds)));
  } finally {
    await stopEngine(engine);
    timings.restore();
  }
  const statements = timings.take();
  const buckets = await dialBuckets(windowStart, windowEnd, window.bucketS * 1000);
  const total = buckets.reduce((s, b) => s + [...b.values()].reduce((x, y) => x + y, 0), 0);
  ctx.log(`${mode}: ${total.toLocaleString("en-US")} dials in ${window.durationS} s (${Math.round(total / window.durationS)} dials/s), per tenant ${totals({ tenants, buckets }).join(" / ")}`);
  return { mode, tenants, buckets, windowStart, windowEnd, pendingAtEnd, depthAtEnd, emptyQueueShare, statements, cpuCores, pg };
}

/** Dials per tenant over the whole window, in the order of `tenants`. */
export function totals(run: Pick<ShareRun, "tenants" | "buckets">): number[] {
  return run.tenants.map((t) => run.buckets.reduce((s, b) => s + (b.get(t.tenantId) ?? 0), 0));
}

/** Fair-mode tenants whose backlog ran out inside the window, by name: their shares understate what they would get. */
export function ranDry(run: ShareRun, names: string[]): string[] {
  if (run.mode !== "fair") return [];
  return names.filter((_, i) => run.pendingAtEnd[i] === 0);
}

// The fairness spike's metrics, ported from triggerdotdev/trigger.dev
// internal-packages/run-engine/src/run-queue/fairness-spike/harness/metrics.ts (computeMetrics, contentionCounts,
// percentile, jain): the same definitions, so our numbers sit beside theirs.
//
// contWorstS/W: a dequeue is "contended" when, at that instant, at least two tenants have work that has arrived
// and not been dequeued yet. Each tenant's share of the contended dequeues, over its weight's share (weight ÷ the
// weights of every tenant that contended at some point), is its S/W; the worst contender's is the metric. Wait =
// dequeue time − arrival time. Here a dequeue is a call line taking the job from the queue.

export interface DequeueEvent {
  tenantId: string;
  runId: string;
  enqueueAtMs: number;
  dequeueAtMs: number;
}

export interface TenantMetrics {
  tenantId: string;
  dequeued: number;
  weight: number;
  contentionShareOverWeight: number;
  meanWait: number;
  waitP50: number;
  waitP99: number;
}

export interface SpikeMetrics {
  perTenant: TenantMetrics[];
  contentionWorstShareOverWeight: number;
  contentionJain: number;
  makespanMs: number;
}

export function computeMetrics(events: DequeueEvent[], weights: Record<string, number>): SpikeMetrics {
  const { counts, windowSize, contended } = contentionCounts(events);
  const sumWindowWeights = [...contended].reduce((a, g) => a + (weights[g] ?? 1), 0);
  const perTenant = Object.keys(weights).map((g): TenantMetrics => {
    const waits = waitsOf(events, [g]);
    const weight = weights[g] ?? 1;
    const windowShare = windowSize > 0 ? (counts.get(g) ?? 0) / windowSize : 0;
    const expected = sumWindowWeights > 0 ? weight / sumWindowWeights : 0;
    return {
      tenantId: g,
      dequeued: waits.length,
      weight,
      contentionShareOverWeight: expected > 0 ? windowShare / expected : 0,
      meanWait: waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : 0,
      waitP50: percentile(waits, 50),
      waitP99: percentile(waits, 99),
    };
  });
  // Only tenants that had work during the contention window count toward fairness.
  const cow = perTenant.filter((p) => contended.has(p.tenantId)).map((p) => p.contentionShareOverWeight);
  return {
    perTenant,
    contentionWorstShareOverWeight: cow.length ? Math.min(...cow) : 1,
    contentionJain: jain(cow),
    makespanMs: events.length ? Math.max(...events.map((e) => e.dequeueAtMs)) : 0,
  };
}

/** The waits of a set of tenants' runs pooled, sorted ascending. */
export function waitsOf(events: DequeueEvent[], tenantIds: string[]): number[] {
  const wanted = new Set(tenantIds);
  return events
    .filter((e) => wanted.has(e.tenantId))
    .map((e) => e.dequeueAtMs - e.enqueueAtMs)
    .sort((a, b) => a - b);
}

/** Their nearest-rank percentile over an ascending list. */
export function percentile(sortedAsc: number[], p: number): number {
  if (sortedAsc.length === 0) return 0;
  const idx = Math.min(sortedAsc.length - 1, Math.ceil((p / 100) * sortedAsc.length) - 1);
  return sortedAsc[Math.max(0, idx)]!;
}

function contentionCounts(events: DequeueEvent[]) {
  const ordered = [...events].sort((a, b) => a.dequeueAtMs - b.dequeueAtMs);
  const arrivals = new Map<string, number[]>();
  for (const e of events) {
    const list = arrivals.get(e.tenantId) ?? [];
    list.push(e.enqueueAtMs);
    arrivals.set(e.tenantId, list);
  }
  for (const list of arrivals.values()) list.sort((a, b) => a - b);
  const arrivedBy = (g: string, t: number) => {
    let n = 0;
    for (const a of arrivals.get(g) ?? []) {
      if (a <= t) n++;
      else break;
    }
    return n;
  };
  const dequeuedSoFar = new Map<string, number>();
  const counts = new Map<string, number>();
  const contended = new Set<string>();
  let windowSize = 0;
  for (const e of ordered) {
    const withWork = [...arrivals.keys()].filter((g) => arrivedBy(g, e.dequeueAtMs) - (dequeuedSoFar.get(g) ?? 0) > 0);
    if (withWork.length >= 2) {
      for (const g of withWork) contended.add(g);
      counts.set(e.tenantId, (counts.get(e.tenantId) ?? 0) + 1);
      windowSize++;
    }
    dequeuedSoFar.set(e.tenantId, (dequeuedSoFar.get(e.tenantId) ?? 0) + 1);
  }
  return { counts, windowSize, contended };
}

function jain(values: number[]): number {
  if (values.length === 0) return 1;
  const sum = values.reduce((a, b) => a + b, 0);
  const sumSq = values.reduce((a, b) => a + b * b, 0);
  return sumSq === 0 ? 1 : (sum * sum) / (values.length * sumSq);
}

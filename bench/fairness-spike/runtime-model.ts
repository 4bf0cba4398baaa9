// A model of lib/dispatch/runtime.ts around the scheduler model, in virtual time: the periodic tick (a timer every
// SCHEDULER_TICK_MS / 4 that ticks when the last tick is SCHEDULER_TICK_MS old), the refill poll (every
// REFILL_POLL_MS: a tick when the queue is at or below half its target and the last tick left backlog), the
// wake-up when a campaign starts (the next tick is a wake tick: it runs the head round), and requestTick's
// coalescing (a request during a tick runs one more tick right after). A tick reads and claims when it starts and its jobs land in the queue `tickLatencyMs` later. One caller
// with `lines` lines takes jobs from the head, FIFO, the moment a line is free; a call holds its line for the
// run's hold time. Deterministic: a seeded workload and a total order on simultaneous events.
import type { DequeueEvent } from "./metrics";
import { DEFAULT_MODEL_CONFIG, SchedulerModel, type ModelConfig, type TickRecord } from "./model";
import type { Workload } from "./scenarios";
import { QueueModel, StoreModel } from "./store-model";

export interface RuntimeOptions {
  /** SCHEDULER_TICK_MS (env default 5000). */
  tickMs: number;
  /** REFILL_POLL_MS (env default 50). */
  refillPollMs: number;
  /** From a tick's start (its reads) to its jobs being in the queue. */
  tickLatencyMs: number;
  /**
   * How a run arriving after its tenant's first becomes a lead: "wake", as a campaign started (the only way
   * leads enter a running fairdial; it wakes the scheduler), or "next-tick", as a lead appearing in the running
   * campaign (a retry coming due) that waits for the next tick.
   */
  arrivals: "wake" | "next-tick";
  /** Multiplies every arrival and hold time of the workload (1 = their logical ms are real ms). */
  timeScale: number;
  scheduler: Partial<Omit<ModelConfig, "concurrency" | "refillPollMs">>;
}

// 15 ms: the median Scheduler.tick() of model.int.test.ts' small case on the 2-core box (9–37 ms).
export const DEFAULT_RUNTIME: RuntimeOptions = { tickMs: 5000, refillPollMs: 50, tickLatencyMs: 15, arrivals: "wake", timeScale: 1, scheduler: {} };

export interface SimulationResult {
  events: DequeueEvent[];
  ticks: TickRecord[];
  /** Virtual time of the last dequeue. */
  endMs: number;
}

// Simultaneous events resolve in this order: lines freed first (so a tick starting at the same instant sees
// them), then arrivals, then a tick's jobs landing, then timers, then wake-ups (after every arrival of the instant).
const Kind = { CallEnd: 0, Arrival: 1, Publish: 2, PeriodicTimer: 3, RefillTimer: 4, Wake: 5 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface Event {
  at: number;
  kind: Kind;
  seq: number;
  run?: () => void;
}

const MAX_MS = 600_000;

export function simulate(workload: Workload, partial: Partial<RuntimeOptions> = {}): SimulationResult {
  const options = { ...DEFAULT_RUNTIME, ...partial };
  const scale = options.timeScale;
  const store = new StoreModel();
  const queue = new QueueModel();
  const scheduler = new SchedulerModel(store, queue, { ...DEFAULT_MODEL_CONFIG, refillPollMs: options.refillPollMs, ...options.scheduler, concurrency: workload.lines });
  const events = new EventQueue();
  const runs = new Map(workload.tenants.flatMap((t) => t.runs.map((r) => [r.runId, r])));
  const total = runs.size;
  const dequeues: DequeueEvent[] = [];
  const ticks: TickRecord[] = [];
  let idleLines = workload.lines;
  let running = false;
  let again = false;
  // A wake-up the next tick has not served yet, and the tenants it named.
  let woken = false;
  let wokenTenants = new Set<string>();
  // The runtime has been up and idle since before the workload starts.
  let lastTickAt = 0;

  const takeJobs = (now: number) => {
    while (idleLines > 0) {
      const job = queue.take();
      if (!job) return;
      idleLines--;
      store.dial(job.id);
      const run = runs.get(job.id)!;
      dequeues.push({ tenantId: job.tenantId, runId: job.id, enqueueAtMs: run.enqueueAtMs * scale, dequeueAtMs: now });
      events.push(now + run.holdMs * scale, Kind.CallEnd, () => {
        store.finish(job.id);
        idleLines++;
        takeJobs(events.now);
      });
    }
  };

  const startTick = (now: number) => {
    running = true;
    again = false;
    const wake = woken;
    const tenants = wokenTenants;
    woken = false;
    wokenTenants = new Set();
    const record = scheduler.tick(now, { wake, wokenTenants: tenants, durationMs: options.tickLatencyMs });
    ticks.push(record);
    events.push(now + options.tickLatencyMs, Kind.Publish, () => {
      scheduler.publish(record);
      takeJobs(events.now);
      lastTickAt = events.now;
      running = false;
      // runTick's do … while (again): a request that came in during this tick gets one more.
      if (again) startTick(events.now);
    });
  };
  const requestTick = (now: number) => {
    if (running) again = true;
    else startTick(now);
  };
  const wakeUp = (now: number, tenantId: string) => {
    woken = true;
    wokenTenants.add(tenantId);
    requestTick(now);
  };

  for (const tenant of workload.tenants) store.addTenant({ id: tenant.tenantId, weight: tenant.weight });
  for (const tenant of workload.tenants) {
    const campaignOf = (i: number) => `${tenant.tenantId}/c${String(i).padStart(3, "0")}`;
    if (tenant.arrival === "immediate") {
      const at = tenant.runs[0]!.enqueueAtMs * scale;
      events.push(at, Kind.Arrival, () => {
        store.startCampaign(campaignOf(0), tenant.tenantId, at, tenant.runs.map((r) => r.runId));
        events.push(at, Kind.Wake, () => wakeUp(at, tenant.tenantId));
      });
      continue;
    }
    tenant.runs.forEach((run, i) => {
      const at = run.enqueueAtMs * scale;
      events.push(at, Kind.Arrival, () => {
        if (i > 0 && options.arrivals === "next-tick") {
          store.addLeads(campaignOf(0), [run.runId]);
          return;
        }
        store.startCampaign(campaignOf(i), tenant.tenantId, at, [run.runId]);
        events.push(at, Kind.Wake, () => wakeUp(at, tenant.tenantId));
      });
    });
  }
  const periodicEvery = Math.max(10, Math.floor(options.tickMs / 4));
  const periodic = (at: number) => {
    events.push(at, Kind.PeriodicTimer, () => {
      if (at - lastTickAt >= options.tickMs) requestTick(at);
      periodic(at + periodicEvery);
    });
  };
  const refill = (at: number) => {
    events.push(at, Kind.RefillTimer, () => {
      if (!running && scheduler.hasBacklog) {
        const { depth, target } = scheduler.capacity();
        if (depth <= target / 2) requestTick(at);
      }
      refill(at + options.refillPollMs);
    });
  };
  periodic(periodicEvery);
  refill(options.refillPollMs);

  while (dequeues.length < total && events.size > 0 && events.peekAt()! <= MAX_MS * scale) events.step();
  if (dequeues.length < total) throw new Error(`simulation stalled: ${dequeues.length} of ${total} runs dequeued by ${events.now} ms`);
  return { events: dequeues, ticks, endMs: events.now };
}

/** A binary heap of events by (time, kind, insertion order). */
class EventQueue {
  now = 0;
  private readonly heap: Event[] = [];
  private seq = 0;

  get size() {
    return this.heap.length;
  }

  push(at: number, kind: Kind, run: () => void) {
    const heap = this.heap;
    heap.push({ at, kind, seq: this.seq++, run });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  peekAt(): number | undefined {
    return this.heap[0]?.at;
  }

  step() {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    this.now = top.at;
    top.run?.();
  }
}

function before(a: Event, b: Event) {
  return a.at !== b.at ? a.at < b.at : a.kind !== b.kind ? a.kind < b.kind : a.seq < b.seq;
}

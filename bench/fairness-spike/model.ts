// A model of lib/dispatch/scheduler.ts: the same tick, step by step, over the in-memory store and queue of
// ./store-model, with the real allocate() and the real Lookahead (both pure, imported, not copied). Read it next
// to scheduler.ts; each method names the part of Scheduler it stands for. Left out: dedicated lanes, housekeeping
// (retries, counter healing, completing campaigns), the leader lease, delayed jobs (no CPS step-aside or backoff
// here, so effectiveDepth is the queue's length), and failures (the store model's counters are exact, so a claim
// never comes up short and the second and third passes never run).
import { allocate, emptyAllocationState, type AllocationState } from "../../lib/dispatch/allocate";
import { DEFAULT_LOOKAHEAD, Lookahead } from "../../lib/dispatch/lookahead";
import { backloggedTenants, frontThreshold, owedHeadRound, splitFront, tenantInputs, wokenFirst } from "../../lib/dispatch/scheduler";
import type { ModelLead, QueueModel, RunningCampaign, StoreModel } from "./store-model";

export interface ModelConfig {
  mode: "fair" | "fifo";
  /** QUEUE_TARGET_DEPTH; undefined = sized by the lookahead. */
  targetDepth?: number;
  /** REFILL_POLL_MS, part of the refill latency the lookahead covers. */
  refillPollMs: number;
  /** The concurrency of the callers online (here: the number of lines); the lookahead's fallback is twice it. */
  concurrency: number;
  cpsHorizonSec: number;
  fifoChunk: number;
  /**
   * The head round (Scheduler.headRound): tenants with nothing queued or in flight get their first round
   * claimed and put at the head even when the lookahead is full. "wake" = on wake-up ticks, as scheduler.ts does;
   * "every-tick" = a what-if, at every tick; "off" = as before 327a6fe (only the front placement of the jobs
   * allocate() gave a tenant with nothing queued).
   */
  headRound: "wake" | "every-tick" | "off";
  /** Without a fixed targetDepth: true = lookahead.ts sizes the target (as scheduler.ts does); false = 2 × concurrency, as before 327a6fe. */
  adaptiveLookahead: boolean;
}

export const DEFAULT_MODEL_CONFIG: Omit<ModelConfig, "concurrency"> = {
  mode: "fair",
  refillPollMs: 50, // env default
  cpsHorizonSec: 2, // runtime.ts
  fifoChunk: 5000, // runtime.ts
  headRound: "wake",
  adaptiveLookahead: true,
};

export interface TickRecord {
  at: number;
  wake: boolean;
  budget: number;
  depth: number;
  target: number;
  dispatched: number;
  /** What publish() puts where: `head` at the very head, then `front`, then what was queued, then `back`. */
  head: ModelLead[];
  front: ModelLead[];
  back: ModelLead[];
}

const MAX_PASSES = 3;

export class SchedulerModel {
  /** Scheduler.hasBacklog: the last tick left dispatchable work behind (tenants at their cap don't count). */
  hasBacklog = false;
  private readonly blocked = new Set<string>();
  private allocation: AllocationState = emptyAllocationState();
  readonly lookahead: Lookahead;
  /** The tenants with pending leads at the last dispatching tick (Scheduler.splitFront). */
  private backlogged = new Set<string>();

  constructor(
    readonly store: StoreModel,
    readonly queue: QueueModel,
    readonly config: ModelConfig,
  ) {
    this.lookahead = new Lookahead({ ...DEFAULT_LOOKAHEAD, pollMs: config.refillPollMs });
  }

  /**
   * Scheduler.tick() as of `now`: everything it reads and claims. Its jobs reach the queue with publish(), which
   * the runtime model calls `durationMs` later; the lookahead is told the tick ended then.
   */
  tick(now: number, options: { wake?: boolean; wokenTenants?: ReadonlySet<string>; durationMs?: number } = {}): TickRecord {
    const { config, store } = this;
    const wake = options.wake ?? false;
    const durationMs = options.durationMs ?? 0;
    const campaigns = store.runningCampaigns();
    const { target, depth, active } = this.capacity();
    const budget = config.mode === "fifo" ? Number.POSITIVE_INFINITY : Math.max(0, target - depth);
    const headNow = config.headRound === "every-tick" || (config.headRound === "wake" && wake);
    const backlogBefore = this.hasBacklog;
    const perTenant: Record<string, number> = {};
    this.blocked.clear();
    let out = { head: [] as ModelLead[], front: [] as ModelLead[], back: [] as ModelLead[] };
    if (config.mode === "fifo") {
      out.back = this.pourFifo(campaigns, perTenant);
    } else if ((budget > 0 || headNow) && campaigns.length > 0) {
      out = this.dispatchFair(campaigns, budget, target, perTenant, headNow, depth, options.wokenTenants);
    }
    const dispatched = out.head.length + out.front.length + out.back.length;
    this.lookahead.observe({ at: now + durationMs, depth, published: dispatched, active, lines: this.config.concurrency, durationMs, backlog: backlogBefore });
    this.hasBacklog = campaigns.some((c) => c.pendingCount - (perTenant[c.tenantId] ?? 0) > 0 && !c.paused && !this.blocked.has(c.tenantId));
    return { at: now, wake, budget: Number.isFinite(budget) ? budget : -1, depth, target, dispatched, ...out };
  }

  /** scheduler.ts' three publish() calls: the tail, then the front (LIFO, order kept), then the head round. */
  publish(record: TickRecord) {
    this.queue.addBack(record.back);
    this.queue.addFront(record.front);
    this.queue.addFront(record.head);
  }

  /** Scheduler.capacity(): the target depth, the queue's depth now and the jobs the callers hold (BullMQ "active"). */
  capacity() {
    const { targetDepth, concurrency, adaptiveLookahead } = this.config;
    const depth = this.queue.depth();
    const target = targetDepth ?? (adaptiveLookahead ? this.lookahead.target(2 * concurrency) : 2 * concurrency);
    const active = [...this.store.inFlightByTenant().values()].reduce((n, t) => n + t.inFlight - t.queued, 0);
    return { target, depth, active };
  }

  private dispatchFair(campaigns: RunningCampaign[], budget: number, target: number, perTenantOut: Record<string, number>, headNow: boolean, depth: number, woken?: ReadonlySet<string>) {
    const { store } = this;
    const inFlight = store.inFlightByTenant();
    const backlog = new Map(campaigns.map((c) => [c.id, c.pendingCount]));
    const claimedInTick = new Map<string, number>();
    const head = headNow ? wokenFirst(this.headRound(campaigns, Math.max(target, this.config.concurrency), depth, backlog, inFlight, claimedInTick, woken), woken) : [];
    let remaining = Math.max(0, budget - head.length);
    const ordered: ModelLead[] = [];

    for (let pass = 0; pass < MAX_PASSES && remaining > 0; pass++) {
      const tenants = tenantInputs(campaigns, backlog, inFlight, claimedInTick, this.config.cpsHorizonSec);
      const plan = allocate(tenants, remaining, this.allocation);
      this.allocation = plan.state;
      if (plan.slots.length === 0) break;
      const requests = Object.entries(plan.perCampaign).map(([campaignId, n]) => ({ campaignId, n }));
      const claimed = store.claim(requests);
      const byCampaign = groupBy(claimed, (c) => c.campaignId);
      const gotPerCampaign = new Map([...byCampaign].map(([id, list]) => [id, list.length]));
      // Publish in the plan's interleaved order, not in claim order.
      for (const slot of plan.slots) {
        const next = byCampaign.get(slot.campaignId)?.shift();
        if (next) ordered.push(next);
      }
      let short = 0;
      for (const { campaignId, n } of requests) {
        const got = gotPerCampaign.get(campaignId) ?? 0;
        backlog.set(campaignId, got < n ? 0 : (backlog.get(campaignId) ?? 0) - got);
        if (got < n) short++;
      }
      for (const c of claimed) claimedInTick.set(c.tenantId, (claimedInTick.get(c.tenantId) ?? 0) + 1);
      remaining -= claimed.length;
      if (short === 0) break;
    }
    for (const t of tenantInputs(campaigns, backlog, inFlight, claimedInTick, this.config.cpsHorizonSec)) if (t.cap !== null && t.inFlight >= t.cap) this.blocked.add(t.id);

    // Scheduler.splitFront: a tenant that joined the backlog since the last tick, with nothing queued, gets its
    // first `weight` jobs at the front when more jobs wait than the callers take in half a second (frontThreshold).
    const before = this.backlogged;
    this.backlogged = backloggedTenants(campaigns.map((c) => ({ tenantId: c.tenantId, dialable: c.pendingCount })));
    const { front, back } = splitFront(ordered, depth > frontThreshold(this.lookahead, this.config.concurrency) ? campaigns : [], head, inFlight, before);
    for (const c of [...head, ...ordered]) perTenantOut[c.tenantId] = (perTenantOut[c.tenantId] ?? 0) + 1;
    return { head, front, back };
  }

  /**
   * Scheduler.headRound: the tenants with nothing queued and nothing in flight get one round (their weight each, and never a queue
   * deeper than twice the target or the lines) from allocate() on a fresh state, so the regular rounds' credits are untouched.
   */
  private headRound(campaigns: RunningCampaign[], target: number, depth: number, backlog: Map<string, number>, inFlight: Map<string, { inFlight: number; queued: number }>, claimedInTick: Map<string, number>, woken: ReadonlySet<string> | undefined): ModelLead[] {
    const idle = tenantInputs(campaigns, backlog, inFlight, claimedInTick, this.config.cpsHorizonSec).filter((t) => owedHeadRound(t, inFlight.get(t.id)?.queued ?? 0, woken));
    if (idle.length === 0) return [];
    const round = idle.reduce((s, t) => s + Math.max(1, Math.floor(t.weight)), 0);
    const plan = allocate(idle, Math.min(round, Math.max(0, 2 * target - depth)), emptyAllocationState());
    if (plan.slots.length === 0) return [];
    const claimed = this.store.claim(Object.entries(plan.perCampaign).map(([campaignId, n]) => ({ campaignId, n })));
    const byCampaign = groupBy(claimed, (c) => c.campaignId);
    for (const [campaignId, list] of byCampaign) backlog.set(campaignId, (backlog.get(campaignId) ?? 0) - list.length);
    for (const c of claimed) claimedInTick.set(c.tenantId, (claimedInTick.get(c.tenantId) ?? 0) + 1);
    const ordered: ModelLead[] = [];
    for (const slot of plan.slots) {
      const next = byCampaign.get(slot.campaignId)?.shift();
      if (next) ordered.push(next);
    }
    return ordered;
  }

  /** Scheduler.pourFifo: every running campaign's leads in start order, in chunks, to the tail. */
  private pourFifo(campaigns: RunningCampaign[], perTenant: Record<string, number>) {
    const out: ModelLead[] = [];
    for (const c of campaigns) {
      if (c.paused) continue;
      for (;;) {
        const claimed = this.store.claim([{ campaignId: c.id, n: this.config.fifoChunk }]);
        out.push(...claimed);
        perTenant[c.tenantId] = (perTenant[c.tenantId] ?? 0) + claimed.length;
        if (claimed.length < this.config.fifoChunk) {
          if ((perTenant[c.tenantId] ?? 0) < c.pendingCount) this.blocked.add(c.tenantId);
          break;
        }
      }
    }
    return out;
  }
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

// The scheduler in front of the shared queue. Each tick (every SCHEDULER_TICK_MS, at once when a campaign
// starts or resumes, and whenever the queue runs low) it tops the queue up to a bounded lookahead, splitting
// that budget across tenants by weighted deficit round robin, claims the leads in Postgres and publishes
// them interleaved. DISPATCH_MODE=fifo instead pours every running campaign in start order, as the original
// single-FIFO design did, so the two can be compared on the same machinery.
import type { Queue } from "bullmq";
import type { Logger } from "pino";
import { allocate, emptyAllocationState, type AllocationState, type TenantInput } from "./allocate";
import type { EngineState, TickInfo } from "./engine-state";
import type { LeaderLease } from "./leader";
import { DEFAULT_LOOKAHEAD, Lookahead } from "./lookahead";
import type { EngineMetrics } from "./metrics";
import type { Claimed, ClaimRequest, DispatchStore, LeaseFence, RunningCampaign } from "./store";
import { publishInOrder } from "./publish";
import { CountryRulesCache, WindowBook } from "./windows";
import type { CallJob } from "../queue/schema";

export interface SchedulerConfig {
  mode: "fair" | "fifo";
  /** Fixed target depth of the shared queue; undefined = sized from the measured dispatch rate (lookahead.ts). */
  targetDepth?: number;
  /** The refill poll interval, part of the refill latency the lookahead must cover. */
  refillPollMs?: number;
  /** Used for the target while no caller has registered yet. */
  fallbackConcurrency: number;
  /** A calls-per-second-limited tenant gets at most this many seconds of calls queued ahead. */
  cpsHorizonSec: number;
  fifoChunk: number;
  /** The clock calling windows are evaluated on (tests run a day on a fake clock). */
  clock?: () => Date;
}

/** A running campaign as one tick sees it: what it has pending inside an open calling window, and those windows. */
export type DispatchCampaign = RunningCampaign & { dialable: number; openKeys: string[]; partial: boolean };

export interface SchedulerDeps {
  store: DispatchStore;
  state: EngineState;
  lease: LeaderLease;
  sharedQueue: Queue<CallJob>;
  laneQueue: (tenantId: string) => Queue<CallJob>;
  log: Logger;
  metrics?: EngineMetrics;
  config: SchedulerConfig;
  /** The platform's calling hours; default: the CallingRule table. */
  rules?: CountryRulesCache;
  /** An automatic stop (the campaign's endAt passed): pause it the way a tenant's pause does. */
  pauseCampaign?: (tenantId: string, campaignId: string) => Promise<unknown>;
}

const MAX_PASSES = 3;
/** A campaign whose open windows came up short is left out this long (its other leads wait for their windows). */
const PARTIAL_EMPTY_MS = 1000;
const HOUSEKEEPING_MS = 1000;
/** A tenant with nothing queued waits behind at most this much of others' work (frontThreshold). */
const FRONT_WAIT_MS = 500;
/** A claim of at least MIN_PART_LEADS × 2 leads runs as this many transactions side by side (claimParts). */
const CLAIM_PARTS = 2;
const MIN_PART_LEADS = 250;

export class Scheduler {
  /**
   * True when the last tick left work behind that could be dispatched now (so a low queue is worth a refill
   * tick): tenants at their cap or CPS horizon don't count, or the leader would spin full ticks for nothing.
   */
  hasBacklog = false;
  private readonly blocked = new Set<string>();
  private lastHousekeepingAt = 0;
  readonly lookahead: Lookahead;
  private readonly windows: WindowBook;
  private readonly keysOf = new Map<string, string[]>();
  private readonly tenantOf = new Map<string, string>();
  private readonly emptyUntil = new Map<string, number>();
  /** Per lane, the tenants that had dialable work at its last tick (splitFront: who joined the backlog since). */
  private readonly backlogged = new Map<string, Set<string>>();

  constructor(private readonly deps: SchedulerDeps) {
    this.lookahead = new Lookahead({ ...DEFAULT_LOOKAHEAD, pollMs: deps.config.refillPollMs ?? DEFAULT_LOOKAHEAD.pollMs });
    this.windows = new WindowBook(deps.store, deps.rules ?? new CountryRulesCache(() => deps.store.callingRules()));
  }

  /**
   * One tick if this instance leads; null otherwise. `wake`: a campaign just started or resumed, so a tenant
   * with nothing queued or in flight gets its first round at the head of the queue even if the lookahead is
   * full (see dispatchFair); `wokenTenants`: the tenants the wake-up named, whose first round goes first.
   */
  async tick(options: { wake?: boolean; wokenTenants?: ReadonlySet<string> } = {}): Promise<TickInfo | null> {
    const { lease, store, config } = this.deps;
    const fence = lease.fence() ?? ((await lease.acquireOrRenew()) ? lease.fence() : null);
    if (!fence) return null;
    const started = performance.now();
    // Housekeeping that is about time, not queue level, runs at most once a second even when the queue is
    // refilled many times a second.
    const housekeeping = Date.now() - this.lastHousekeepingAt >= HOUSEKEEPING_MS;
    if (housekeeping) {
      this.lastHousekeepingAt = Date.now();
      await store.releaseDueRetries();
      const healed = await store.healStuckCounters();
      if (healed.length > 0) this.deps.log.warn({ campaignIds: healed }, "recounted campaigns whose pending counter said 0 while leads were pending");
      await this.stopEnded();
    }
    const [{ target, depth, active, lines, callers }, running] = await Promise.all([this.capacity(), store.runningCampaigns()]);
    const campaigns = await this.dialable(running, options.wake ?? false);
    if (housekeeping) await this.deps.state.recordDialable(sumBy(campaigns, (c) => c.tenantId, (c) => c.dialable));
    const shared = campaigns.filter((c) => !c.dedicatedLane);
    const lanes = groupBy(campaigns.filter((c) => c.dedicatedLane), (c) => c.tenantId);
    const budget = config.mode === "fifo" ? Number.POSITIVE_INFINITY : Math.max(0, target - depth);
    const backlogBefore = this.hasBacklog;
    let dispatched = 0;
    const perTenant: Record<string, number> = {};
    this.blocked.clear();
    if (config.mode === "fifo") {
      dispatched += await this.pourFifo(shared, perTenant, fence);
    } else if ((budget > 0 || options.wake) && shared.length > 0) {
      dispatched += await this.dispatchFair(shared, budget, target, "shared", this.deps.sharedQueue, perTenant, fence, { wake: options.wake ?? false, woken: options.wokenTenants, lines, frontAbove: frontThreshold(this.lookahead, lines), depth });
    }
    this.lookahead.observe({ at: Date.now(), depth, published: dispatched, active, lines, durationMs: performance.now() - started, backlog: backlogBefore });
    for (const [tenantId, laneCampaigns] of lanes) {
      const laneCallers = callers.filter((c) => c.lane === tenantId);
      const laneTarget = 2 * laneCallers.reduce((s, c) => s + c.concurrency, 0);
      const queue = this.deps.laneQueue(tenantId);
      const laneDepth = (await effectiveDepth(queue, laneTarget)).depth;
      const laneBudget = Math.max(0, laneTarget - laneDepth);
      const place = { wake: options.wake ?? false, woken: options.wokenTenants, lines: laneTarget / 2, frontAbove: laneTarget / 2, depth: laneDepth };
      if (laneBudget > 0 || options.wake) dispatched += await this.dispatchFair(laneCampaigns, laneBudget, laneTarget, `lane:${tenantId}`, queue, perTenant, fence, place);
    }

    const drained = campaigns.filter((c) => c.pendingCount - (perTenant[c.tenantId] ?? 0) <= 0).map((c) => c.id);
    if (housekeeping && drained.length > 0) {
      const completed = await store.completeFinished(drained);
      for (const id of completed) this.deps.log.info({ campaignId: id }, "campaign completed");
    }
    this.hasBacklog = campaigns.some((c) => c.dialable - (perTenant[c.tenantId] ?? 0) > 0 && !c.paused && !this.blocked.has(c.tenantId));
    await this.deps.state.recordDispatches(perTenant);
    const info: TickInfo = {
      at: Date.now(),
      leader: lease.id,
      mode: config.mode,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      budget: Number.isFinite(budget) ? budget : -1,
      dispatched,
      depth,
      target,
      tenants: new Set(shared.map((c) => c.tenantId)).size,
      campaigns: campaigns.length,
    };
    await this.deps.state.recordTick(info);
    await this.deps.metrics?.recordTick(info.durationMs);
    await this.deps.metrics?.recordDispatches(perTenant);
    if (dispatched > 0) this.deps.log.debug({ ...info }, "tick");
    return info;
  }

  /**
   * Each campaign's open window keys and what it has pending inside them: all of pendingCount when every key is
   * open, nothing when none is. A campaign with some keys open and some closed (`partial`) is offered its whole
   * counter; the claim then takes what is really inside the open windows, and a shortfall goes to the others
   * (dispatchFair's passes) without a recount: the counter was right, the window was the limit. A partial
   * campaign that came up short is not offered anything again for a second (`emptyUntil`).
   */
  private async dialable(campaigns: RunningCampaign[], reload: boolean): Promise<DispatchCampaign[]> {
    const now = this.now();
    const rules = await this.windows.refresh(campaigns.map((c) => c.id), now.getTime(), reload);
    this.keysOf.clear();
    this.tenantOf.clear();
    for (const [id, until] of this.emptyUntil) if (until <= now.getTime()) this.emptyUntil.delete(id);
    return campaigns.map((c) => {
      const { open, total } = this.windows.openKeys(c.id, now, rules);
      this.keysOf.set(c.id, open);
      this.tenantOf.set(c.id, c.tenantId);
      const partial = open.length > 0 && open.length < total;
      const empty = open.length === 0 || (partial && (this.emptyUntil.get(c.id) ?? 0) > now.getTime());
      // The rows are this tick's own (runningCampaigns reads them fresh): extended in place, not copied.
      return Object.assign(c, { dialable: empty ? 0 : c.pendingCount, openKeys: open, partial });
    });
  }

  /** Campaigns past their scheduled end stop by themselves (paused: the tenant can extend the end and resume). */
  private async stopEnded() {
    if (!this.deps.pauseCampaign) return;
    for (const c of await this.deps.store.endedBySchedule(this.now())) {
      await this.deps.pauseCampaign(c.tenantId, c.id).then(
        () => this.deps.log.info({ tenantId: c.tenantId, campaignId: c.id }, "campaign reached its scheduled end; paused"),
        (err: unknown) => this.deps.log.warn({ err, campaignId: c.id }, "could not pause a campaign at its scheduled end"),
      );
    }
  }

  private now() {
    return this.deps.config.clock?.() ?? new Date();
  }

  /** Claim requests carry each campaign's open window keys; a campaign with none open is not asked. */
  private requests(perCampaign: Record<string, number>): ClaimRequest[] {
    return Object.entries(perCampaign)
      .map(([campaignId, n]) => ({ campaignId, n, keys: this.keysOf.get(campaignId) ?? [] }))
      .filter((r) => r.keys.length > 0);
  }

  async capacity() {
    const callers = await this.deps.state.liveCallers();
    const sharedConcurrency = callers.filter((c) => !c.lane).reduce((s, c) => s + c.concurrency, 0);
    const lines = sharedConcurrency || this.deps.config.fallbackConcurrency;
    const target = this.deps.config.targetDepth ?? this.lookahead.target(2 * lines);
    const { depth, active } = await effectiveDepth(this.deps.sharedQueue, 2 * lines);
    return { target, depth, active, lines, callers };
  }

  /**
   * `place.wake`: this tick answers a wake-up (head round, `place.woken` first; over-commit bounded by twice the
   * larger of the target and `place.lines`). `place.frontAbove`: the first round of a tenant that joined the
   * backlog goes to the front (splitFront) only when more than this many jobs wait (frontThreshold): behind a
   * shorter queue it waits little anyway.
   */
  private async dispatchFair(campaigns: DispatchCampaign[], budget: number, target: number, lane: string, queue: Queue<CallJob>, perTenantOut: Record<string, number>, fence: LeaseFence, place: { wake: boolean; woken?: ReadonlySet<string>; lines: number; frontAbove: number; depth: number }) {
    const { store, state } = this.deps;
    const inFlight = await store.inFlightByTenant();
    let allocationState: AllocationState = await state.loadAllocation(lane);
    const backlog = new Map(campaigns.map((c) => [c.id, c.dialable]));
    const partial = new Set(campaigns.filter((c) => c.partial).map((c) => c.id));
    const claimedInTick = new Map<string, number>();
    const head = place.wake ? wokenFirst(await this.headRound(campaigns, Math.max(target, place.lines), place.depth, backlog, inFlight, claimedInTick, fence, place.woken), place.woken) : [];
    let remaining = Math.max(0, budget - head.length);
    const ordered: Claimed[] = [];

    for (let pass = 0; pass < MAX_PASSES && remaining > 0; pass++) {
      const tenants = tenantInputs(campaigns, backlog, inFlight, claimedInTick, this.deps.config.cpsHorizonSec);
      const plan = allocate(tenants, remaining, allocationState);
      allocationState = plan.state;
      if (plan.slots.length === 0) break;
      const requests = this.requests(plan.perCampaign);
      const claimed = await this.claimIsolated(requests, fence);
      const byCampaign = groupBy(claimed, (c) => c.campaignId);
      const gotPerCampaign = new Map([...byCampaign].map(([id, list]) => [id, list.length]));
      // Publish in the plan's interleaved order (t1, t2, t3, t1, …), not in claim order.
      for (const slot of plan.slots) {
        const next = byCampaign.get(slot.campaignId)?.shift();
        if (next) ordered.push(next);
      }
      const short: string[] = [];
      for (const { campaignId, n } of requests) {
        const got = gotPerCampaign.get(campaignId) ?? 0;
        backlog.set(campaignId, got < n ? 0 : (backlog.get(campaignId) ?? 0) - got);
        if (got < n) short.push(campaignId);
      }
      for (const c of claimed) claimedInTick.set(c.tenantId, (claimedInTick.get(c.tenantId) ?? 0) + 1);
      remaining -= claimed.length;
      // A counter that promised more than there was is corrected, and the shortfall re-allocated (work conservation).
      if (short.length === 0) break;
      for (const id of short) if (partial.has(id)) this.emptyUntil.set(id, this.now().getTime() + PARTIAL_EMPTY_MS);
      await store.recountPending(short.filter((id) => !partial.has(id)));
    }
    for (const t of tenantInputs(campaigns, backlog, inFlight, claimedInTick, this.deps.config.cpsHorizonSec)) if (t.cap !== null && t.inFlight >= t.cap) this.blocked.add(t.id);
    // A leader superseded mid-tick must not overwrite its successor's fairness state.
    if (this.deps.lease.leading) await state.saveAllocation(allocationState, lane);
    const before = this.backlogged.get(lane) ?? new Set<string>();
    this.backlogged.set(lane, backloggedTenants(campaigns));
    const { front, back } = splitFront(ordered, place.depth > place.frontAbove ? campaigns : [], head, inFlight, before);
    await publishInOrder(queue, [{ jobs: back }, { jobs: front, front: true }, { jobs: head, front: true }]);
    for (const c of [...head, ...ordered]) perTenantOut[c.tenantId] = (perTenantOut[c.tenantId] ?? 0) + 1;
    return head.length + ordered.length;
  }

  /**
   * On a wake-up, tenants with nothing queued and nothing in flight (a campaign just started or resumed) get
   * their first round — `weight` jobs each — claimed now and put at the very head of the queue, even when the
   * lookahead is full: their first call goes out on the next free line instead of waiting for a tick with budget. The over-commit is
   * bounded: one round of those tenants, and never a queue deeper than twice the target (or twice the lines, when
   * the target is smaller), however many wake-ups come in a row; the next ticks' budget pays it back, since these jobs count in the depth. Its own round-robin
   * state, so the regular rounds' credits are untouched.
   */
  private async headRound(campaigns: DispatchCampaign[], target: number, depth: number, backlog: Map<string, number>, inFlight: Map<string, { inFlight: number; queued: number }>, claimedInTick: Map<string, number>, fence: LeaseFence, woken: ReadonlySet<string> | undefined): Promise<Claimed[]> {
    // A tenant not being served at all, or the one the wake-up named (owedHeadRound). (Counting every tenant with
    // calls in flight too would give every backlogged tenant a head job on every wake-up when the lookahead is
    // small, and fill the queue with over-commit that a newcomer then waits behind.)
    const idle = tenantInputs(campaigns, backlog, inFlight, claimedInTick, this.deps.config.cpsHorizonSec).filter((t) => owedHeadRound(t, inFlight.get(t.id)?.queued ?? 0, woken));
    if (idle.length === 0) return [];
    const round = idle.reduce((s, t) => s + Math.max(1, Math.floor(t.weight)), 0);
    const plan = allocate(idle, Math.min(round, Math.max(0, 2 * target - depth)), emptyAllocationState());
    if (plan.slots.length === 0) return [];
    const claimed = await this.claimIsolated(this.requests(plan.perCampaign), fence);
    const byCampaign = groupBy(claimed, (c) => c.campaignId);
    for (const [campaignId, list] of byCampaign) backlog.set(campaignId, (backlog.get(campaignId) ?? 0) - list.length);
    for (const c of claimed) claimedInTick.set(c.tenantId, (claimedInTick.get(c.tenantId) ?? 0) + 1);
    const ordered: Claimed[] = [];
    for (const slot of plan.slots) {
      const next = byCampaign.get(slot.campaignId)?.shift();
      if (next) ordered.push(next);
    }
    return ordered;
  }

  /**
   * A tick's claim, split by tenant into up to CLAIM_PARTS transactions that run side by side (claimParts): they
   * lock disjoint campaign, tenant and lead rows, so they cannot wait on each other, and Postgres works on each
   * with its own backend. Each part is atomic on its own, as one claim is.
   */
  private async claimIsolated(requests: ClaimRequest[], fence: LeaseFence): Promise<Claimed[]> {
    const parts = claimParts(requests, this.tenantOf, CLAIM_PARTS, MIN_PART_LEADS);
    if (parts.length === 1) return this.claimPart(requests, fence);
    return (await Promise.all(parts.map((part) => this.claimPart(part, fence)))).flat();
  }

  /** One statement for all campaigns; if it fails, campaign by campaign, so one bad campaign stalls only itself. */
  private async claimPart(requests: ClaimRequest[], fence: LeaseFence): Promise<Claimed[]> {
    try {
      return await this.deps.store.claim(requests, fence);
    } catch (err) {
      this.deps.log.error({ err }, "batch claim failed; claiming campaign by campaign");
      const out: Claimed[] = [];
      for (const request of requests) {
        try {
          out.push(...(await this.deps.store.claim([request], fence)));
        } catch (campaignErr) {
          this.deps.log.error({ err: campaignErr, campaignId: request.campaignId }, "claim failed for this campaign; skipping it this tick");
        }
      }
      return out;
    }
  }

  /**
   * The original design: every running campaign's leads, in campaign start order, straight into the queue. The
   * claim still enforces tenants' caps (and the fence), so fifo never exceeds a cap either.
   */
  private async pourFifo(campaigns: DispatchCampaign[], perTenant: Record<string, number>, fence: LeaseFence) {
    const { store, config } = this.deps;
    let total = 0;
    for (const c of campaigns) {
      if (c.paused || c.openKeys.length === 0) continue;
      for (;;) {
        const claimed = await store.claim([{ campaignId: c.id, n: config.fifoChunk, keys: c.openKeys }], fence);
        await publishInOrder(this.deps.sharedQueue, [{ jobs: claimed }]);
        total += claimed.length;
        perTenant[c.tenantId] = (perTenant[c.tenantId] ?? 0) + claimed.length;
        if (claimed.length < config.fifoChunk) {
          // Short of the counter: the claim held the tenant at its cap (or the counter is off, healed later).
          if ((perTenant[c.tenantId] ?? 0) < c.dialable) this.blocked.add(c.tenantId);
          break;
        }
        if (!this.deps.lease.leading) return total;
      }
    }
    return total;
  }
}

/**
 * How many jobs may wait ahead of a tenant with nothing queued before its first round goes to the front: what the
 * callers take in FRONT_WAIT_MS at their measured pace (the lines until it is measured). With 20 ms calls on 100
 * lines that is thousands (a queue that deep drains in half a second); with 20 s calls on 20 lines it is one job,
 * since a single job ahead already costs about a second. Exported for the fairness-spike model.
 */
export function frontThreshold(lookahead: Lookahead, lines: number): number {
  return lookahead.jobsWithin(FRONT_WAIT_MS, lines);
}

/**
 * Who gets a head round on a wake-up: a tenant not being served at all (nothing queued, nothing in flight), and the
 * tenant the wake-up named when it has nothing queued and at most a round (`weight`) of calls in flight: a trickle
 * tenant whose next campaign starts while its last call still runs is owed its turn now, not at the next refill.
 * Bounded so that pausing and resuming in a loop buys no more than one round of lines.
 */
export function owedHeadRound(t: Pick<TenantInput, "id" | "inFlight" | "weight" | "paused">, queued: number, woken: ReadonlySet<string> | undefined): boolean {
  if (t.paused) return false;
  if (t.inFlight === 0) return true;
  return woken?.has(t.id) === true && queued === 0 && t.inFlight <= Math.max(1, Math.floor(t.weight));
}

/** The tenants with dialable work among these campaigns. */
export function backloggedTenants(campaigns: { tenantId: string; dialable: number }[]): Set<string> {
  return new Set(campaigns.filter((c) => c.dialable > 0).map((c) => c.tenantId));
}

/**
 * Which of a tick's jobs go to the front of the queue: the first round (`weight` jobs) of each tenant that has
 * nothing queued and joined the backlog since the last tick (a retry came due, leads were added, a window opened,
 * a campaign started without a head round). Such a tenant is owed its share of the current round now, not after
 * the lookahead already queued for others. A tenant backlogged all along is served in the rounds' order instead:
 * with 1,000 backlogged tenants nearly all of them have nothing queued at any moment, and putting each refill in
 * front of the last turned the queue into a stack (the jobs at the back waited for several rounds, and the
 * 10 s fairness windows of the scale-out test suffered for it). `campaigns` is empty when the queue is too short
 * for the front to matter (frontThreshold). Exported for the fairness-spike model.
 */
export function splitFront<T extends { tenantId: string }>(ordered: T[], campaigns: { tenantId: string; weight: number }[], head: { tenantId: string }[], inFlight: Map<string, { queued: number }>, backloggedBefore: ReadonlySet<string>): { front: T[]; back: T[] } {
  const headTenants = new Set(head.map((c) => c.tenantId));
  const left = new Map<string, number>();
  for (const c of campaigns) {
    if (left.has(c.tenantId) || headTenants.has(c.tenantId) || backloggedBefore.has(c.tenantId) || (inFlight.get(c.tenantId)?.queued ?? 0) > 0) continue;
    left.set(c.tenantId, c.weight);
  }
  const front: T[] = [];
  const back: T[] = [];
  for (const job of ordered) {
    const n = left.get(job.tenantId) ?? 0;
    if (n > 0) {
      front.push(job);
      left.set(job.tenantId, n - 1);
    } else {
      back.push(job);
    }
  }
  return { front, back };
}

/**
 * The head round's jobs with the tenants a wake-up named first (in their allocate() order, then the others'): of
 * the idle tenants, the one that just pressed start gets the next free line, not the one whose last call ended a
 * moment ago. Exported so the fairness-spike model orders its head round the same way.
 */
export function wokenFirst<T extends { tenantId: string }>(jobs: T[], woken: ReadonlySet<string> | undefined): T[] {
  if (!woken || woken.size === 0) return jobs;
  return [...jobs.filter((j) => woken.has(j.tenantId)), ...jobs.filter((j) => !woken.has(j.tenantId))];
}

/**
 * Splits a claim into at most `parts` groups of whole tenants, balanced by leads (largest tenant first into the
 * lightest group), each of at least `minLeads` leads: a tenant's campaigns share its concurrency cap, counted
 * under its tenant row's lock, so they stay in one transaction. A small claim stays whole.
 */
export function claimParts(requests: ClaimRequest[], tenantOf: ReadonlyMap<string, string>, parts: number, minLeads: number): ClaimRequest[][] {
  const total = requests.reduce((s, r) => s + r.n, 0);
  const count = Math.max(1, Math.min(parts, Math.floor(total / minLeads)));
  if (count === 1) return [requests];
  const byTenant = new Map<string, ClaimRequest[]>();
  for (const r of requests) {
    const tenant = tenantOf.get(r.campaignId) ?? r.campaignId;
    const list = byTenant.get(tenant);
    if (list) list.push(r);
    else byTenant.set(tenant, [r]);
  }
  const groups = Array.from({ length: count }, () => ({ leads: 0, requests: [] as ClaimRequest[] }));
  const tenants = [...byTenant.values()].map((list) => ({ list, leads: list.reduce((s, r) => s + r.n, 0) })).sort((a, b) => b.leads - a.leads);
  for (const t of tenants) {
    const lightest = groups.reduce((min, g) => (g.leads < min.leads ? g : min));
    lightest.requests.push(...t.list);
    lightest.leads += t.leads;
  }
  return groups.filter((g) => g.requests.length > 0).map((g) => g.requests);
}

/** What allocate() needs of a running campaign. */
export type CampaignLoad = Pick<RunningCampaign, "id" | "tenantId" | "weight" | "maxConcurrent" | "maxCps" | "paused">;

/**
 * allocate()'s input per tenant: its caps as room left after what is in flight and what this tick claimed
 * already, and a calls-per-second-limited tenant at most `horizonSec` seconds of calls queued ahead. Exported so
 * the fairness-spike model (bench/fairness-spike) runs the same code.
 */
export function tenantInputs(campaigns: CampaignLoad[], backlog: Map<string, number>, inFlight: Map<string, { inFlight: number; queued: number }>, claimedInTick: Map<string, number>, horizonSec: number): TenantInput[] {
  const tenants = new Map<string, TenantInput>();
  for (const c of campaigns) {
    let t = tenants.get(c.tenantId);
    if (!t) {
      const load = inFlight.get(c.tenantId) ?? { inFlight: 0, queued: 0 };
      const extra = claimedInTick.get(c.tenantId) ?? 0;
      const flying = load.inFlight + extra;
      let room = c.maxConcurrent === null ? Number.POSITIVE_INFINITY : c.maxConcurrent - flying;
      if (c.maxCps !== null) room = Math.min(room, Math.ceil(c.maxCps * horizonSec) - (load.queued + extra));
      t = { id: c.tenantId, weight: c.weight, inFlight: flying, cap: Number.isFinite(room) ? flying + Math.max(0, room) : null, paused: c.paused, campaigns: [] };
      tenants.set(c.tenantId, t);
    }
    t.campaigns.push({ id: c.id, backlog: Math.max(0, backlog.get(c.id) ?? 0) });
  }
  return [...tenants.values()];
}

/** Jobs waiting in a queue: ready for a free line, plus delayed (stepped aside for a CPS limit or a backoff). */
export async function queueDepth(queue: Queue) {
  const { ready, delayed } = await queueCounts(queue);
  return ready + delayed;
}

async function queueCounts(queue: Queue) {
  const counts = await queue.getJobCounts("wait", "prioritized", "delayed", "active");
  return { ready: (counts.wait ?? 0) + (counts.prioritized ?? 0), delayed: counts.delayed ?? 0, active: counts.active ?? 0 };
}

/**
 * The depth the budget is measured against. Delayed jobs are not in a free line's way: a few slow-paced
 * tenants' stepped-aside jobs must not fill a small lookahead and starve everyone else (the claim's
 * calls-per-second horizon bounds them per tenant). Only beyond `allowance` do they count, so a provider that
 * answers 429 to everything cannot make the scheduler claim whole campaigns into the delayed set.
 */
async function effectiveDepth(queue: Queue, allowance: number) {
  const { ready, delayed, active } = await queueCounts(queue);
  return { depth: ready + Math.max(0, delayed - allowance), active };
}

function sumBy<T>(items: T[], key: (t: T) => string, value: (t: T) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + value(item);
  return out;
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

// The fairness allocation of one scheduler tick: split the publish budget across tenants by weighted deficit
// round robin, and inside each tenant round-robin across its running campaigns. Pure, so it can be tested
// exhaustively; the scheduler keeps `state` in Redis so fairness holds across ticks even when a tick's
// budget is smaller than the number of tenants.

export interface CampaignInput {
  id: string;
  /** Leads dispatchable now. */
  backlog: number;
}

export interface TenantInput {
  id: string;
  /** Share of the budget relative to other tenants: a positive integer, default 1. */
  weight: number;
  /** Calls queued + dialing right now. */
  inFlight: number;
  /** Max calls in flight; null = unlimited. */
  cap: number | null;
  paused: boolean;
  /** Its running campaigns in a stable order (e.g. by start time); the campaign rotation follows it. */
  campaigns: CampaignInput[];
}

/** JSON-serialisable: the scheduler keeps it in Redis between ticks. */
export interface AllocationState {
  /** Credits left in the current round; absent = 0 (the tenant waits for the next round). */
  deficits: Record<string, number>;
  /** Tenant to serve first next time; tenants are swept in id order, wrapping around. */
  tenantCursor: string | null;
  /** Per tenant: campaign to serve first next time. */
  campaignCursors: Record<string, string | null>;
}

export interface Slot {
  tenantId: string;
  campaignId: string;
}

export interface Allocation {
  /** Publish order, interleaved across tenants. */
  slots: Slot[];
  /** Slots per tenant; a tenant without a slot is absent. */
  perTenant: Record<string, number>;
  /** Slots per campaign; a campaign without a slot is absent. */
  perCampaign: Record<string, number>;
  /** The state to pass to the next tick. */
  state: AllocationState;
}

export function emptyAllocationState(): AllocationState {
  return { deficits: {}, tenantCursor: null, campaignCursors: {} };
}

/**
 * A round gives every tenant that can take work `weight` credits. Within a round the tenants are swept in id
 * order, one slot per visit, skipping those out of credits: weights 2,2,1 publish a,b,c,a,b and not
 * a,a,b,b,c, and while another tenant can take work no tenant gets more than `weight` slots in a row. A tick stops
 * wherever the budget runs out and the credits and the sweep position carry over, so a budget of 3 across
 * 10 tenants still completes rounds over several ticks: a backlogged tenant's cumulative count stays within
 * `weight` slots of its exact weighted share, whatever the budgets. A tenant waits at most for the credits
 * the others have left in this round plus its turn in the next sweep: W − w + N slots (W = sum of weights,
 * N = tenants that can take work).
 *
 * A tenant that cannot take work (paused, at its cap, out of backlog, gone) loses its credits, as in classic
 * DRR: it rejoins at the next round instead of cashing in credit saved while idle.
 *
 * Cost O(T log T + C + budget): a round costs one visit per tenant still in play and serves at least as many
 * slots, except the round the budget cuts short.
 */
export function allocate(tenants: TenantInput[], budget: number, state: AllocationState): Allocation {
  const everyone = contenders(tenants, state);
  let ring = everyone;
  let from = firstAtOrAfter(ring, state.tenantCursor);
  let round = rotation(ring, from).filter((t) => t.credit > 0);
  let head = 0;
  let cursor = typeof state.tenantCursor === "string" ? state.tenantCursor : null;
  const slots: Slot[] = [];
  const perTenant: Record<string, number> = {};
  const perCampaign: Record<string, number> = {};

  for (let left = count(budget); left > 0; left--) {
    if (head === round.length) {
      ring = newRound(ring, from);
      from = 0;
      round = ring.slice();
      head = 0;
      if (round.length === 0) break;
    }
    const tenant = round[head++];
    const campaignId = takeCampaign(tenant);
    slots.push({ tenantId: tenant.id, campaignId });
    perTenant[tenant.id] = (perTenant[tenant.id] ?? 0) + 1;
    perCampaign[campaignId] = (perCampaign[campaignId] ?? 0) + 1;
    tenant.credit--;
    tenant.room--;
    if (tenant.credit > 0 && tenant.room > 0) round.push(tenant);
    from = (tenant.index + 1) % ring.length;
    cursor = ring[from].id;
  }

  // Only tenants still queued in this round hold credits; everyone else starts the next round from zero.
  const deficits: Record<string, number> = {};
  for (let k = head; k < round.length; k++) deficits[round[k].id] = round[k].credit;
  return {
    slots,
    perTenant,
    perCampaign,
    state: {
      deficits,
      tenantCursor: head < round.length ? round[head].id : cursor,
      campaignCursors: campaignCursors(tenants, everyone, state.campaignCursors),
    },
  };
}

interface Contender {
  id: string;
  weight: number;
  /** Slots it can still take this tick: the smaller of its cap room and its backlog. */
  room: number;
  /** Credits left in the current round. */
  credit: number;
  /** Position in `ring`; the sweep resumes after the tenant served last. */
  index: number;
  campaigns: CampaignInput[];
  campaignCursor: string | null;
  /** Built on the tenant's first slot of the tick, so tenants left out cost nothing more. */
  queue: CampaignQueue | null;
}

interface CampaignQueue {
  items: { id: string; left: number }[];
  head: number;
}

/** The tenants that can take work now, sorted by id so the sweep order survives changes in input order. */
function contenders(tenants: TenantInput[], state: AllocationState): Contender[] {
  const ring: Contender[] = [];
  for (const t of tenants) {
    if (t.paused) continue;
    const room = Math.min(backlogOf(t), t.cap === null ? Infinity : Math.max(0, count(t.cap) - count(t.inFlight)));
    if (room === 0) continue;
    // One bad row must not stall dispatch for every tenant; the admin form's schema is where it gets refused.
    const weight = Number.isFinite(t.weight) && t.weight >= 1 ? Math.floor(t.weight) : 1;
    const cursor = own(state.campaignCursors, t.id);
    ring.push({
      id: t.id,
      weight,
      room,
      // Clamped: a weight lowered since the last tick must not leave the tenant more than one round's credit.
      credit: Math.min(weight, count(own(state.deficits, t.id) ?? 0)),
      index: 0,
      campaigns: t.campaigns,
      campaignCursor: typeof cursor === "string" ? cursor : null,
      queue: null,
    });
  }
  ring.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  ring.forEach((t, i) => {
    if (i > 0 && ring[i - 1].id === t.id) throw new Error(`allocate: duplicate tenant id ${t.id}`);
    t.index = i;
  });
  return ring;
}

/** Starts a round at `from`: drops the tenants that can take no more work and credits the others. */
function newRound(ring: Contender[], from: number): Contender[] {
  const live: Contender[] = [];
  for (const t of rotation(ring, from)) {
    if (t.room === 0) continue;
    t.credit = t.weight;
    t.index = live.length;
    live.push(t);
  }
  return live;
}

function takeCampaign(tenant: Contender): string {
  tenant.queue ??= campaignQueue(tenant.campaigns, tenant.campaignCursor);
  const queue = tenant.queue;
  // Never empty here: a tenant's room is at most its total backlog.
  const campaign = queue.items[queue.head++];
  campaign.left--;
  if (campaign.left > 0) queue.items.push(campaign);
  return campaign.id;
}

/** Campaigns with backlog, in their given order starting at the cursor (or the first, if it is gone). */
function campaignQueue(campaigns: CampaignInput[], cursor: string | null): CampaignQueue {
  const start = Math.max(0, cursor === null ? 0 : campaigns.findIndex((c) => c.id === cursor));
  const items: CampaignQueue["items"] = [];
  for (const c of rotation(campaigns, start)) {
    const left = count(c.backlog);
    if (left > 0) items.push({ id: c.id, left });
  }
  return { items, head: 0 };
}

/**
 * A served tenant's cursor moves to its next campaign; one not served keeps its cursor while it has backlog
 * (paused or at its cap it still needs its place in the rotation); a tenant gone or emptied loses it.
 */
function campaignCursors(
  tenants: TenantInput[],
  pool: Contender[],
  previous: Record<string, string | null>,
): Record<string, string | null> {
  const served = new Map<string, CampaignQueue>();
  for (const t of pool) if (t.queue) served.set(t.id, t.queue);
  const cursors: Record<string, string | null> = {};
  for (const t of tenants) {
    const queue = served.get(t.id);
    if (queue) {
      if (queue.head < queue.items.length) cursors[t.id] = queue.items[queue.head].id;
      continue;
    }
    const cursor = own(previous, t.id);
    if (typeof cursor === "string" && backlogOf(t) > 0) cursors[t.id] = cursor;
  }
  return cursors;
}

function backlogOf(tenant: TenantInput): number {
  let total = 0;
  for (const c of tenant.campaigns) total += count(c.backlog);
  return total;
}

/** Index of the first tenant whose id is at or after `cursor`, wrapping to 0. */
function firstAtOrAfter(ring: Contender[], cursor: string | null): number {
  if (typeof cursor !== "string") return 0;
  let lo = 0;
  let hi = ring.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ring[mid].id < cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo === ring.length ? 0 : lo;
}

function rotation<T>(items: T[], start: number): T[] {
  return start === 0 ? items.slice() : [...items.slice(start), ...items.slice(0, start)];
}

// Counts come from SQL and Redis; NaN, negatives or Infinity count as nothing rather than poisoning the plan.
function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

// The state comes back from Redis as plain JSON: read only its own keys, and survive a missing record.
function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && record !== null && Object.hasOwn(record, key) ? record[key] : undefined;
}

// In-memory stand-ins for what the scheduler reads and writes: DispatchStore's Postgres side (tenants, running
// campaigns, lead statuses, the claim) and the shared BullMQ queue (a list, head first). Each method mirrors the
// lib/dispatch/store.ts statement of the same name, reduced to what decides who is dispatched when.

export interface ModelTenant {
  id: string;
  weight: number;
  maxConcurrent: number | null;
  maxCps: number | null;
  paused: boolean;
}

export interface ModelLead {
  /** Global insertion order: the claim takes a campaign's pending leads oldest (lowest id) first. */
  seq: number;
  id: string;
  tenantId: string;
  campaignId: string;
  status: "PENDING" | "QUEUED" | "DIALING" | "DONE";
}

export interface ModelCampaign {
  id: string;
  tenantId: string;
  startedAt: number;
  /** Pending leads, oldest first. */
  pending: ModelLead[];
}

/** The subset of store.ts' RunningCampaign the scheduler uses (no lanes in the model). */
export interface RunningCampaign {
  id: string;
  tenantId: string;
  pendingCount: number;
  weight: number;
  maxConcurrent: number | null;
  maxCps: number | null;
  paused: boolean;
}

export class StoreModel {
  readonly tenants = new Map<string, ModelTenant>();
  readonly campaigns: ModelCampaign[] = [];
  private readonly leads = new Map<string, ModelLead>();
  private seq = 0;

  addTenant(t: Partial<ModelTenant> & { id: string }) {
    this.tenants.set(t.id, { weight: 1, maxConcurrent: null, maxCps: null, paused: false, ...t });
  }

  /** A campaign goes RUNNING with these leads pending (ids in import order). */
  startCampaign(id: string, tenantId: string, startedAt: number, leadIds: string[]) {
    if (!this.tenants.has(tenantId)) throw new Error(`unknown tenant ${tenantId}`);
    const campaign: ModelCampaign = { id, tenantId, startedAt, pending: [] };
    this.campaigns.push(campaign);
    // store.ts orders by "startedAt", id: the allocation's campaign rotation follows that order.
    this.campaigns.sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.addLeads(id, leadIds);
  }

  /** More pending leads in a running campaign (a retry coming due looks the same to the scheduler). */
  addLeads(campaignId: string, leadIds: string[]) {
    const campaign = this.campaign(campaignId);
    for (const id of leadIds) {
      const lead: ModelLead = { seq: this.seq++, id, tenantId: campaign.tenantId, campaignId, status: "PENDING" };
      this.leads.set(id, lead);
      campaign.pending.push(lead);
    }
  }

  runningCampaigns(): RunningCampaign[] {
    return this.campaigns.map((c) => {
      const t = this.tenants.get(c.tenantId)!;
      return { id: c.id, tenantId: c.tenantId, pendingCount: c.pending.length, weight: t.weight, maxConcurrent: t.maxConcurrent, maxCps: t.maxCps, paused: t.paused };
    });
  }

  /** Calls in flight per tenant (queued + dialing), and how many of them are still waiting in the queue. */
  inFlightByTenant(): Map<string, { inFlight: number; queued: number }> {
    const out = new Map<string, { inFlight: number; queued: number }>();
    for (const lead of this.leads.values()) {
      if (lead.status !== "QUEUED" && lead.status !== "DIALING") continue;
      const entry = out.get(lead.tenantId) ?? { inFlight: 0, queued: 0 };
      entry.inFlight++;
      if (lead.status === "QUEUED") entry.queued++;
      out.set(lead.tenantId, entry);
    }
    return out;
  }

  /**
   * CLAIM_SQL: up to n pending leads per campaign, oldest first, never past a tenant's maxConcurrent (its room is
   * shared by its campaigns in request order), nothing for a paused tenant. Returned in lead id order.
   */
  claim(requests: { campaignId: string; n: number }[]): ModelLead[] {
    const flying = new Map<string, number>();
    for (const [tenantId, load] of this.inFlightByTenant()) flying.set(tenantId, load.inFlight);
    const asked = new Map<string, number>();
    const out: ModelLead[] = [];
    for (const { campaignId, n } of requests) {
      const campaign = this.campaign(campaignId);
      const tenant = this.tenants.get(campaign.tenantId)!;
      if (tenant.paused) continue;
      const before = asked.get(tenant.id) ?? 0;
      asked.set(tenant.id, before + n);
      const take = tenant.maxConcurrent === null ? n : Math.max(0, Math.min(n, tenant.maxConcurrent - (flying.get(tenant.id) ?? 0) - before));
      for (const lead of campaign.pending.splice(0, take)) {
        lead.status = "QUEUED";
        out.push(lead);
      }
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** A caller took the job: the lead is dialing (claimDials). */
  dial(leadId: string) {
    this.lead(leadId).status = "DIALING";
  }

  /** The call ended (finishAttempts); the model never retries. */
  finish(leadId: string) {
    this.lead(leadId).status = "DONE";
  }

  private campaign(id: string): ModelCampaign {
    const c = this.campaigns.find((x) => x.id === id);
    if (!c) throw new Error(`unknown campaign ${id}`);
    return c;
  }

  private lead(id: string): ModelLead {
    const lead = this.leads.get(id);
    if (!lead) throw new Error(`unknown lead ${id}`);
    return lead;
  }
}

/** The shared queue's wait list, head (next to be taken) first. */
export class QueueModel {
  readonly jobs: ModelLead[] = [];

  depth() {
    return this.jobs.length;
  }

  /** addBulk: appended at the tail in the order given. */
  addBack(jobs: ModelLead[]) {
    this.jobs.push(...jobs);
  }

  /** addBulk with lifo, added in reverse by scheduler.ts' publish(): the jobs land at the head in the order given. */
  addFront(jobs: ModelLead[]) {
    this.jobs.unshift(...jobs);
  }

  take(): ModelLead | undefined {
    return this.jobs.shift();
  }
}

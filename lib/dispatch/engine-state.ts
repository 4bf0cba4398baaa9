// What the engine shares through Redis besides the queue itself: the scheduler's allocation state between
// ticks, the live callers and their concurrency, the last tick's figures and per-tenant dispatch counts in
// 10-second buckets (the admin's fairness chart and Jain index read these).
import type { Redis } from "ioredis";
import { z } from "zod";
import { emptyAllocationState, type AllocationState } from "./allocate";

export const BUCKET_MS = 10_000;
const BUCKETS_KEPT = 60; // 10 minutes
const CALLER_TTL_MS = 10_000;

const allocationStateSchema = z.object({
  deficits: z.record(z.string(), z.number()),
  tenantCursor: z.string().nullable(),
  campaignCursors: z.record(z.string(), z.string().nullable()),
});

export const tickSchema = z.object({
  at: z.number(),
  leader: z.string(),
  mode: z.enum(["fair", "fifo"]),
  durationMs: z.number(),
  budget: z.number(),
  dispatched: z.number(),
  depth: z.number(),
  target: z.number(),
  tenants: z.number(),
  campaigns: z.number(),
});
export type TickInfo = z.infer<typeof tickSchema>;

export interface CallerInfo {
  id: string;
  concurrency: number;
  lane: string | null;
  host: string;
  pid: number;
  startedAt: number;
  heartbeatAt: number;
}

const dialableSchema = z.record(z.string(), z.number());

export class EngineState {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private k(...parts: string[]) {
    return [this.prefix, "engine", ...parts].join(":");
  }

  async loadAllocation(lane = "shared"): Promise<AllocationState> {
    const raw = await this.redis.get(this.k("allocation", lane));
    const parsed = raw ? allocationStateSchema.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : emptyAllocationState();
  }

  async saveAllocation(state: AllocationState, lane = "shared") {
    await this.redis.set(this.k("allocation", lane), JSON.stringify(state), "EX", 3600);
  }

  async recordTick(tick: TickInfo) {
    await this.redis.set(this.k("last-tick"), JSON.stringify(tick), "EX", 3600);
  }

  async lastTick(): Promise<TickInfo | null> {
    const raw = await this.redis.get(this.k("last-tick"));
    const parsed = raw ? tickSchema.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : null;
  }

  /**
   * What each tenant has pending inside an open calling window, as the leader's last housekeeping tick saw it: the
   * admin view's "backlogged" tenants (a tenant whose leads all wait for their window is not owed a share). Kept
   * briefly: a scheduler that stopped reporting leaves nothing behind that looks current.
   */
  async recordDialable(perTenant: Record<string, number>) {
    await this.redis.set(this.k("dialable"), JSON.stringify(perTenant), "EX", 30);
  }

  async dialable(): Promise<Record<string, number> | null> {
    const raw = await this.redis.get(this.k("dialable"));
    const parsed = raw ? dialableSchema.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : null;
  }

  async recordDispatches(perTenant: Record<string, number>, now = Date.now()) {
    const entries = Object.entries(perTenant).filter(([, n]) => n > 0);
    if (entries.length === 0) return;
    const bucket = this.k("dispatch", String(Math.floor(now / BUCKET_MS)));
    const multi = this.redis.multi();
    for (const [tenantId, n] of entries) multi.hincrby(bucket, tenantId, n);
    multi.pexpire(bucket, BUCKET_MS * BUCKETS_KEPT);
    await multi.exec();
  }

  /** Per-bucket dispatch counts per tenant, oldest first, for the last `buckets` buckets (the current one last). */
  async dispatchHistory(buckets = 30, now = Date.now()): Promise<{ bucketStart: number; perTenant: Record<string, number> }[]> {
    const current = Math.floor(now / BUCKET_MS);
    const ids = Array.from({ length: buckets }, (_, i) => current - buckets + 1 + i);
    const multi = this.redis.multi();
    for (const id of ids) multi.hgetall(this.k("dispatch", String(id)));
    const results = (await multi.exec()) ?? [];
    return ids.map((id, i) => ({
      bucketStart: id * BUCKET_MS,
      perTenant: Object.fromEntries(Object.entries((results[i]?.[1] as Record<string, string>) ?? {}).map(([t, n]) => [t, Number(n)])),
    }));
  }

  async heartbeatCaller(info: CallerInfo) {
    await this.redis.hset(this.k("callers"), info.id, JSON.stringify({ ...info, heartbeatAt: Date.now() }));
  }

  async removeCaller(id: string) {
    await this.redis.hdel(this.k("callers"), id);
  }

  async liveCallers(now = Date.now()): Promise<CallerInfo[]> {
    const all = await this.redis.hgetall(this.k("callers"));
    const live: CallerInfo[] = [];
    const dead: string[] = [];
    for (const [id, raw] of Object.entries(all)) {
      const info = JSON.parse(raw) as CallerInfo;
      if (now - info.heartbeatAt <= CALLER_TTL_MS) live.push(info);
      else dead.push(id);
    }
    if (dead.length) await this.redis.hdel(this.k("callers"), ...dead);
    return live;
  }
}

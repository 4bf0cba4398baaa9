// The per-user cap on open event streams, counted across web processes. Each open stream holds a lease in a
// sorted set per user (member: the stream, score: when the lease runs out); the process refreshes the leases of
// its streams, so the streams of a process that crashed stop counting once their leases run out.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { log } from "../log";

const LEASE_MS = 30_000;

// Drop expired leases, then take one only if the user is under the cap: atomic, so racing tabs cannot overshoot.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

export interface StreamSlot {
  release(): void;
}

export class StreamSlots {
  /** stream id → its user's key, for the refresh */
  private readonly held = new Map<string, string>();
  private refresher: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly max: number,
    private readonly leaseMs = LEASE_MS,
  ) {}

  /** A slot for one more stream of this user, or null when the user already has `max` open. */
  async acquire(userId: string): Promise<StreamSlot | null> {
    const id = randomUUID();
    const userKey = `${this.prefix}:streams:${userId}`;
    const now = Date.now();
    try {
      const ok = await this.redis.eval(ACQUIRE, 1, userKey, now, this.max, now + this.leaseMs, id, 2 * this.leaseMs);
      if (ok !== 1) return null;
    } catch (err) {
      // The cap guards against a user hogging connections; an outage of Redis should not close every live view.
      log.warn({ err, userId }, "stream cap unavailable (Redis); letting the stream open");
      return { release() {} };
    }
    this.held.set(id, userKey);
    this.refresher ??= setInterval(() => void this.refresh(), this.leaseMs / 3);
    this.refresher.unref?.();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.held.delete(id);
        if (this.held.size === 0) this.stopRefresh();
        this.redis.zrem(userKey, id).catch((err) => log.warn({ err, userId }, "stream slot not released; its lease will run out"));
      },
    };
  }

  /** Open streams of this user, across processes. */
  async count(userId: string): Promise<number> {
    const userKey = `${this.prefix}:streams:${userId}`;
    return this.redis.zcount(userKey, Date.now(), "+inf");
  }

  close() {
    this.stopRefresh();
    this.held.clear();
  }

  private async refresh() {
    const expiry = Date.now() + this.leaseMs;
    const pipeline = this.redis.pipeline();
    for (const [id, userKey] of this.held) pipeline.zadd(userKey, expiry, id).pexpire(userKey, 2 * this.leaseMs);
    try {
      await pipeline.exec();
    } catch (err) {
      log.warn({ err }, "stream slot leases not refreshed");
    }
  }

  private stopRefresh() {
    clearInterval(this.refresher);
    this.refresher = undefined;
  }
}

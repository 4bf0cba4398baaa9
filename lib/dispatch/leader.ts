import type { Redis } from "ioredis";

// Exactly one scheduler acts at a time: a Redis key with a TTL, taken with SET NX and renewed only by its
// holder (compare-and-extend in Lua), so a paused or dead leader cannot extend a lock someone else took.
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

export class LeaderLock {
  constructor(private readonly redis: Redis, private readonly key: string, readonly id: string, private readonly ttlMs: number) {}

  /** True while this instance leads: renews if held, takes it if free. */
  async acquireOrRenew(): Promise<boolean> {
    const renewed = await this.redis.eval(RENEW, 1, this.key, this.id, String(this.ttlMs));
    if (Number(renewed) === 1) return true;
    const taken = await this.redis.set(this.key, this.id, "PX", this.ttlMs, "NX");
    return taken === "OK";
  }

  async release() {
    await this.redis.eval(RELEASE, 1, this.key, this.id);
  }
}

import type { Redis } from "ioredis";

// Calls-per-second limits shared by every caller process: GCRA (generic cell rate algorithm) in one Lua
// call. Returns 0 when a call may start now, else how many ms to wait. No burst: starts are spaced 1/rate
// apart, so no one-second window ever holds more than the limit.
const GCRA = `
local key = KEYS[1]
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = tonumber(redis.call('GET', key) or now)
if tat < now then tat = now end
local allow_at = tat - burst * interval
if now < allow_at then
  return allow_at - now
end
local new_tat = tat + interval
redis.call('SET', key, new_tat, 'PX', math.ceil(new_tat - now + interval))
return 0
`;

export class CpsLimiter {
  constructor(private readonly redis: Redis, private readonly prefix: string) {
    redis.defineCommand("fairdialGcra", { numberOfKeys: 1, lua: GCRA });
  }

  /** 0 = go now; otherwise wait this many ms and ask again. */
  async tryAcquire(name: string, perSecond: number): Promise<number> {
    const interval = 1000 / perSecond;
    const burst = 0;
    const client = this.redis as Redis & { fairdialGcra(key: string, interval: number, burst: number): Promise<number> };
    return Number(await client.fairdialGcra(`${this.prefix}:cps:${name}`, interval, burst));
  }

  /** Waits in place until a slot is free (for the provider-wide limit that every tenant shares alike). */
  async acquire(name: string, perSecond: number) {
    for (;;) {
      const wait = await this.tryAcquire(name, perSecond);
      if (wait === 0) return;
      await new Promise((r) => setTimeout(r, Math.max(1, wait)));
    }
  }
}

import type { Redis } from "ioredis";

// Calls-per-second limits shared by every caller process: GCRA (generic cell rate algorithm) in one Lua
// call. No burst: starts are spaced 1/rate apart, so no one-second window ever holds more than the limit.
// Several limits (the tenant's and the provider account's) are taken together or not at all, so a call that
// waits for one limit does not burn a token of the other, and the tenant's limit holds at the provider's door.
const GCRA_ALL = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tats = {}
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[i])
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  if now < tat then
    return {i, tat - now}
  end
  tats[i] = tat
end
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[i])
  local new_tat = tats[i] + interval
  redis.call('SET', key, tostring(new_tat), 'PX', math.ceil(new_tat - now + interval))
end
return {0, 0}
`;

export interface CpsLimit {
  name: string;
  perSecond: number;
}

type GcraClient = Redis & { fairdialGcraAll(numKeys: number, ...args: (string | number)[]): Promise<[number, number]> };

export class CpsLimiter {
  constructor(private readonly redis: Redis, private readonly prefix: string) {
    redis.defineCommand("fairdialGcraAll", { lua: GCRA_ALL });
  }

  /**
   * Takes one start from every limit at once, or from none. Returns wait 0 when the call may start now, else
   * how many ms to wait and which limit is the one holding it back.
   */
  async tryAcquireAll(limits: CpsLimit[]): Promise<{ wait: number; blockedBy: string | null }> {
    if (limits.length === 0) return { wait: 0, blockedBy: null };
    const keys = limits.map((l) => `${this.prefix}:cps:${l.name}`);
    const intervals = limits.map((l) => 1000 / l.perSecond);
    const [index, wait] = await (this.redis as GcraClient).fairdialGcraAll(keys.length, ...keys, ...intervals);
    return index === 0 ? { wait: 0, blockedBy: null } : { wait: Number(wait), blockedBy: limits[index - 1]!.name };
  }

  /** 0 = go now; otherwise wait this many ms and ask again. */
  async tryAcquire(name: string, perSecond: number): Promise<number> {
    return (await this.tryAcquireAll([{ name, perSecond }])).wait;
  }
}

// REST API requests per key per minute, counted in Redis so every web process shares one budget per key.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "../env";
import { key, redis } from "../redis";

const WINDOW_SEC = 60;

export interface ApiQuota {
  allowed: boolean;
  /** The IETF RateLimit-* fields (draft-ietf-httpapi-ratelimit-headers), plus Retry-After when refused. */
  headers: Record<string, string>;
}

let cached: RateLimiterRedis | undefined;

function apiLimiter() {
  const points = env().API_RATE_LIMIT_PER_MIN;
  cached ??= new RateLimiterRedis({
    storeClient: redis(),
    keyPrefix: key("rl", "api"),
    points,
    duration: WINDOW_SEC,
    // A Redis blip must not take the API down: each process then counts on its own until Redis is back.
    insuranceLimiter: new RateLimiterMemory({ points, duration: WINDOW_SEC }),
  });
  return cached;
}

/** Counts one request of an API key; `allowed: false` once it has used its minute's budget. */
export async function consumeApiQuota(apiKeyId: string): Promise<ApiQuota> {
  const limiter = apiLimiter();
  try {
    return { allowed: true, headers: quotaHeaders(limiter.points, await limiter.consume(apiKeyId)) };
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    const headers = quotaHeaders(limiter.points, err);
    return { allowed: false, headers: { ...headers, "Retry-After": headers["RateLimit-Reset"]! } };
  }
}

function quotaHeaders(limit: number, res: RateLimiterRes): Record<string, string> {
  return {
    "RateLimit-Limit": String(limit),
    "RateLimit-Remaining": String(Math.max(0, res.remainingPoints)),
    // Whole seconds, rounded up: a client that waits this long is never refused again for this window.
    "RateLimit-Reset": String(Math.max(1, Math.ceil(res.msBeforeNext / 1000))),
  };
}

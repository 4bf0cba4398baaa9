import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { key, redis } from "./redis";

// Sign-in guessing is limited per email (protects one account) and per IP (protects all of them).
// The IP allowance is larger because a whole office can share one address behind NAT.
const WINDOW_SEC = 10 * 60;
export const EMAIL_ATTEMPTS = 10;
export const IP_ATTEMPTS = 100;

let limiters: { email: RateLimiterRedis; ip: RateLimiterRedis } | undefined;

function signInLimiters() {
  limiters ??= {
    email: new RateLimiterRedis({ storeClient: redis(), keyPrefix: key("rl", "signin", "email"), points: EMAIL_ATTEMPTS, duration: WINDOW_SEC }),
    ip: new RateLimiterRedis({ storeClient: redis(), keyPrefix: key("rl", "signin", "ip"), points: IP_ATTEMPTS, duration: WINDOW_SEC }),
  };
  return limiters;
}

export type LimitResult = { ok: true } | { ok: false; retryAfterSec: number };

/** Counts one sign-in attempt against both the email and the IP. */
export async function consumeSignInAttempt(email: string, ip: string): Promise<LimitResult> {
  const { email: byEmail, ip: byIp } = signInLimiters();
  try {
    await Promise.all([byEmail.consume(email.trim().toLowerCase()), byIp.consume(ip)]);
    return { ok: true };
  } catch (err) {
    if (err instanceof RateLimiterRes) return { ok: false, retryAfterSec: Math.ceil(err.msBeforeNext / 1000) };
    throw err;
  }
}

/** A successful sign-in clears the email's counter so a user's own typos don't lock them out later. */
export async function resetSignInAttempts(email: string) {
  await signInLimiters().email.delete(email.trim().toLowerCase());
}

import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "./env";
import { key, redis } from "./redis";

// Every way to guess a password or mint accounts is limited on the thing attacked (an email, a token, a user) and
// on the client address. The address allowances are larger because a whole office can share one address behind NAT.
export const EMAIL_ATTEMPTS = 10;
export const IP_ATTEMPTS = 100;
export const SIGNUPS_PER_IP = 5;

// Per-address allowances are scaled by IP_RATE_LIMIT_FACTOR (many users behind one NAT address).
const perIp = (points: number) => () => Math.max(1, Math.round(points * env().IP_RATE_LIMIT_FACTOR));

const LIMITS = {
  signInEmail: { points: () => EMAIL_ATTEMPTS, durationSec: 10 * 60 },
  signInIp: { points: perIp(IP_ATTEMPTS), durationSec: 10 * 60 },
  // Without email verification every signup is a new workspace that can place calls: the tightest limit.
  signupIp: { points: perIp(SIGNUPS_PER_IP), durationSec: 3600 },
  inviteIp: { points: perIp(20), durationSec: 3600 },
  inviteToken: { points: () => 10, durationSec: 3600 },
  // Changing a password checks the current one: from a stolen session it would otherwise be a guessing oracle.
  passwordUser: { points: () => 5, durationSec: 15 * 60 },
  passwordIp: { points: perIp(30), durationSec: 15 * 60 },
} as const;

/** The allowance of a limit as configured (for tests and messages). */
export function limitPoints(name: LimitName) {
  return LIMITS[name].points();
}

export type LimitName = keyof typeof LIMITS;
export type LimitResult = { ok: true } | { ok: false; retryAfterSec: number };

const limiters = new Map<LimitName, RateLimiterRedis>();

function limiter(name: LimitName) {
  let l = limiters.get(name);
  if (!l) {
    const { points, durationSec } = LIMITS[name];
    l = new RateLimiterRedis({ storeClient: redis(), keyPrefix: key("rl", name), points: points(), duration: durationSec });
    limiters.set(name, l);
  }
  return l;
}

/**
 * Counts one attempt against each [limit, key] pair; refused when any of them is used up. Every counter is
 * charged even when one refuses, so hammering one key cannot be used to spare another.
 */
export async function consumeLimits(...checks: [LimitName, string][]): Promise<LimitResult> {
  const results = await Promise.allSettled(checks.map(([name, k]) => limiter(name).consume(limitKey(name, k))));
  let retryAfterMs = 0;
  for (const r of results) {
    if (r.status === "fulfilled") continue;
    if (!(r.reason instanceof RateLimiterRes)) throw r.reason;
    retryAfterMs = Math.max(retryAfterMs, r.reason.msBeforeNext);
  }
  return retryAfterMs > 0 ? { ok: false, retryAfterSec: Math.ceil(retryAfterMs / 1000) } : { ok: true };
}

export async function resetLimit(name: LimitName, k: string) {
  await limiter(name).delete(limitKey(name, k));
}

/** Counts one sign-in attempt against both the email and the IP. */
export function consumeSignInAttempt(email: string, ip: string): Promise<LimitResult> {
  return consumeLimits(["signInEmail", normalizeEmail(email)], ["signInIp", ip]);
}

/** A successful sign-in clears the email's counter so a user's own typos don't lock them out later. */
export async function resetSignInAttempts(email: string) {
  await resetLimit("signInEmail", normalizeEmail(email));
}

function normalizeEmail(email: string) {
  return email.trim().toLowerCase();
}

// One IPv6 subscriber usually holds a whole /64, so rotating within it must not buy fresh allowances.
function limitKey(name: LimitName, k: string) {
  return name.endsWith("Ip") ? ipv6Prefix64(k) ?? k : k;
}

function ipv6Prefix64(ip: string): string | null {
  if (!ip.includes(":")) return null;
  const [head = "", tail] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  if (right.some((part) => part.includes("."))) return null; // IPv4-embedded forms: keep the whole address
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  if (groups.length !== 8) return null;
  return `${groups.slice(0, 4).map((p) => Number.parseInt(p || "0", 16).toString(16)).join(":")}::/64`;
}

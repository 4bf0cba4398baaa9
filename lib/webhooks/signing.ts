// Stripe-style signatures: `Fairdial-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
// The timestamp is the send time (each retry is signed afresh), so a receiver can refuse replays older than
// its tolerance. This module is what the README's verification snippet shows; receivers may copy it as is.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "fairdial-signature";
/** A receiver should refuse a signature whose timestamp is further than this from its clock. */
export const DEFAULT_TOLERANCE_SEC = 300;
const SECRET_PREFIX = "whsec_";

export function generateSecret() {
  return SECRET_PREFIX + randomBytes(32).toString("base64url");
}

export function signatureHeader(secret: string, body: string, timestampSec = Math.floor(Date.now() / 1000)) {
  return `t=${timestampSec},v1=${hmac(secret, timestampSec, body)}`;
}

export type VerifyResult = { ok: true; timestampSec: number } | { ok: false; reason: "malformed" | "bad_signature" | "too_old" | "too_new" };

/**
 * Checks a delivery as a receiver must: over the raw body (before any JSON parsing), in constant time, and with the
 * timestamp within `toleranceSec` of now (a replayed old request is refused even with a valid signature).
 */
export function verifySignature(secret: string, rawBody: string, header: string | null | undefined, options: { toleranceSec?: number; nowSec?: number } = {}): VerifyResult {
  const parts = new Map<string, string[]>();
  for (const item of (header ?? "").split(",")) {
    const [k, v] = item.trim().split("=", 2);
    if (k && v) parts.set(k, [...(parts.get(k) ?? []), v]);
  }
  const t = Number(parts.get("t")?.[0]);
  const candidates = parts.get("v1") ?? [];
  if (!Number.isInteger(t) || candidates.length === 0) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(hmac(secret, t, rawBody), "hex");
  const matches = candidates.some((c) => {
    const given = Buffer.from(c, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return { ok: false, reason: "bad_signature" };
  const now = options.nowSec ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  if (now - t > tolerance) return { ok: false, reason: "too_old" };
  if (t - now > tolerance) return { ok: false, reason: "too_new" };
  return { ok: true, timestampSec: t };
}

function hmac(secret: string, timestampSec: number, body: string) {
  return createHmac("sha256", secret).update(`${timestampSec}.${body}`).digest("hex");
}

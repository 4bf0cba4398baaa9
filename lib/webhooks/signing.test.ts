import { describe, expect, it } from "vitest";
import { generateSecret, signatureHeader, verifySignature } from "./signing";

describe("webhook signatures", () => {
  const secret = generateSecret();
  const body = JSON.stringify({ id: "evt_1", type: "call.completed", data: { outcome: "COMPLETED" } });

  it("verify over the raw body within the tolerance", () => {
    const header = signatureHeader(secret, body, 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, body, header, { nowSec: 1_700_000_299 })).toEqual({ ok: true, timestampSec: 1_700_000_000 });
  });

  it("refuse a replay, a request from the future, another secret, a changed body and a malformed header", () => {
    const header = signatureHeader(secret, body, 1_700_000_000);
    expect(verifySignature(secret, body, header, { nowSec: 1_700_000_301 })).toEqual({ ok: false, reason: "too_old" });
    expect(verifySignature(secret, body, header, { nowSec: 1_699_999_600 })).toEqual({ ok: false, reason: "too_new" });
    expect(verifySignature(generateSecret(), body, header, { nowSec: 1_700_000_000 })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifySignature(secret, body.replace("COMPLETED", "FAILED"), header, { nowSec: 1_700_000_000 })).toEqual({ ok: false, reason: "bad_signature" });
    for (const bad of [null, "", "v1=abc", "t=x,v1=abc", "t=1700000000"]) expect(verifySignature(secret, body, bad, { nowSec: 1_700_000_000 }).ok).toBe(false);
  });

  it("accept any of several v1 signatures (a receiver mid secret rotation checks both)", () => {
    const header = `${signatureHeader(secret, body, 1_700_000_000)},v1=${"0".repeat(64)}`;
    expect(verifySignature(secret, body, header, { nowSec: 1_700_000_000 }).ok).toBe(true);
  });
});

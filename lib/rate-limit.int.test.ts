import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { consumeSignInAttempt, EMAIL_ATTEMPTS, IP_ATTEMPTS, resetSignInAttempts } from "./rate-limit";

describe("sign-in rate limit (Redis)", () => {
  it("allows 10 attempts per email in the window, then refuses with a retry time", async () => {
    const email = `${randomUUID()}@example.test`;
    for (let i = 0; i < EMAIL_ATTEMPTS; i++) expect((await consumeSignInAttempt(email, `ip-${i}-${randomUUID()}`)).ok).toBe(true);
    const blocked = await consumeSignInAttempt(email, `ip-${randomUUID()}`);
    expect(blocked.ok).toBe(false);
    if (!blocked.ok) expect(blocked.retryAfterSec).toBeGreaterThan(500);
    await resetSignInAttempts(email);
    expect((await consumeSignInAttempt(email, `ip-${randomUUID()}`)).ok).toBe(true);
  });

  it("limits one IP across many emails, with a larger allowance for shared addresses", async () => {
    const ip = `ip-${randomUUID()}`;
    expect(IP_ATTEMPTS).toBeGreaterThan(EMAIL_ATTEMPTS);
    for (let i = 0; i < IP_ATTEMPTS; i++) expect((await consumeSignInAttempt(`${randomUUID()}@x.test`, ip)).ok).toBe(true);
    expect((await consumeSignInAttempt(`${randomUUID()}@x.test`, ip)).ok).toBe(false);
  });
});

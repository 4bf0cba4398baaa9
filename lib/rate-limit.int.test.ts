import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { consumeLimits, consumeSignInAttempt, EMAIL_ATTEMPTS, limitPoints, resetSignInAttempts } from "./rate-limit";

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
    expect(limitPoints("signInIp")).toBeGreaterThan(EMAIL_ATTEMPTS);
    for (let i = 0; i < limitPoints("signInIp"); i++) expect((await consumeSignInAttempt(`${randomUUID()}@x.test`, ip)).ok).toBe(true);
    expect((await consumeSignInAttempt(`${randomUUID()}@x.test`, ip)).ok).toBe(false);
  });

  it("counts every address of one IPv6 /64 as one client", async () => {
    const prefix = `2001:db8:${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`;
    for (let i = 0; i < limitPoints("signupIp"); i++) expect((await consumeLimits(["signupIp", `${prefix}::${(i + 1).toString(16)}`])).ok).toBe(true);
    expect((await consumeLimits(["signupIp", `${prefix}:0:0:0:ffff`])).ok).toBe(false);
    expect((await consumeLimits(["signupIp", `${prefix.replace("2001:db8", "2001:db9")}::1`])).ok).toBe(true);
  });

  it("charges every counter of a check even when one of them refuses", async () => {
    const user = `user-${randomUUID()}`;
    const ip = `ip-${randomUUID()}`;
    for (let i = 0; i < limitPoints("passwordUser"); i++) await consumeLimits(["passwordUser", user]);
    expect((await consumeLimits(["passwordUser", user], ["passwordIp", ip])).ok).toBe(false);
    // The refused attempt still counted against the address: one point fewer remains for it.
    let left = 0;
    while ((await consumeLimits(["passwordIp", ip])).ok) left++;
    expect(left).toBe(limitPoints("passwordIp") - 1);
  });
});

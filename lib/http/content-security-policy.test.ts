import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, servesHttpsInProduction } from "./content-security-policy";

const directives = (policy: string) => Object.fromEntries(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));

describe("the pages' Content-Security-Policy", () => {
  it("runs only scripts carrying this response's nonce, and forbids framing, plugins, base and form hijacking", () => {
    const policy = directives(contentSecurityPolicy({ nonce: "abc123", dev: false, https: false }));
    expect(policy["script-src"]).toBe("'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy["style-src"]).toBe("'self' 'nonce-abc123'");
    expect(policy).toMatchObject({ "frame-ancestors": "'none'", "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'" });
    expect(policy).not.toHaveProperty("upgrade-insecure-requests");
  });

  it("allows eval only under next dev, and upgrades insecure requests only over https", () => {
    expect(directives(contentSecurityPolicy({ nonce: "n", dev: true, https: false }))["script-src"]).toContain("'unsafe-eval'");
    expect(directives(contentSecurityPolicy({ nonce: "n", dev: false, https: true }))).toHaveProperty("upgrade-insecure-requests");
  });

  it("draws a new 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });

  it("sends HSTS only from a production server whose public URL is https", () => {
    expect(servesHttpsInProduction("production", "https://dial.example.com")).toBe(true);
    expect(servesHttpsInProduction("production", "http://127.0.0.1:3000")).toBe(false);
    expect(servesHttpsInProduction("development", "https://dial.example.com")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { normalizeIp, resolveClientIp } from "./client-ip";

describe("resolveClientIp", () => {
  it("with no trusted proxy, ignores a spoofed X-Forwarded-For and uses the socket address", () => {
    expect(resolveClientIp("203.0.113.7", "1.2.3.4", 0)).toBe("203.0.113.7");
    expect(resolveClientIp("203.0.113.7", "1.2.3.4, 5.6.7.8", 0)).toBe("203.0.113.7");
    expect(resolveClientIp("::ffff:203.0.113.7", undefined, 0)).toBe("203.0.113.7");
  });

  it("behind one proxy, takes the entry that proxy appended (the rightmost), not the client's own entries", () => {
    // The proxy (10.0.0.2, the socket) appended the address it saw (198.51.100.9) after what the client sent.
    expect(resolveClientIp("10.0.0.2", "1.2.3.4, 198.51.100.9", 1)).toBe("198.51.100.9");
    expect(resolveClientIp("10.0.0.2", "198.51.100.9", 1)).toBe("198.51.100.9");
  });

  it("behind two proxies, counts two entries in from the right", () => {
    expect(resolveClientIp("10.0.0.3", "6.6.6.6, 198.51.100.9, 10.0.0.2", 2)).toBe("198.51.100.9");
  });

  it("gives the same address however a client rotates the entries it controls", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const spoofed = Array.from({ length: i % 5 }, (_, j) => `192.0.2.${(i * 7 + j) % 250}`).join(", ");
      const header = spoofed ? `${spoofed}, 198.51.100.9` : "198.51.100.9";
      seen.add(resolveClientIp("10.0.0.2", header, 1));
      seen.add(resolveClientIp("198.51.100.9", spoofed, 0));
    }
    expect([...seen]).toEqual(["198.51.100.9"]);
  });

  it("joins repeated X-Forwarded-For headers in order", () => {
    expect(resolveClientIp("10.0.0.2", ["1.2.3.4", "198.51.100.9"], 1)).toBe("198.51.100.9");
  });

  it("falls back to the socket when a request skipped the proxy or a trusted entry is not an address", () => {
    expect(resolveClientIp("198.51.100.9", undefined, 1)).toBe("198.51.100.9");
    expect(resolveClientIp("10.0.0.2", "1.2.3.4, not-an-ip", 1)).toBe("10.0.0.2");
    expect(resolveClientIp(undefined, undefined, 0)).toBe("unknown");
  });
});

describe("normalizeIp", () => {
  it("strips ports, brackets and the IPv4-mapped prefix, and refuses non-addresses", () => {
    expect(normalizeIp("198.51.100.9:4711")).toBe("198.51.100.9");
    expect(normalizeIp("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeIp("2001:db8::1")).toBe("2001:db8::1");
    expect(normalizeIp("::FFFF:10.1.2.3")).toBe("10.1.2.3");
    expect(normalizeIp("evil.example")).toBeNull();
    expect(normalizeIp("")).toBeNull();
  });
});

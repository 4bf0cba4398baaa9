import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey, KEY_PREFIX, looksLikeApiKey } from "./key";

describe("API keys", () => {
  it("are prefixed, random, and verified by their hash", () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key.startsWith(KEY_PREFIX)).toBe(true);
    expect(a.key).toHaveLength(KEY_PREFIX.length + 32);
    expect(a.key).not.toBe(b.key);
    expect(a.prefix).toBe(a.key.slice(0, KEY_PREFIX.length + 4));
    expect(hashApiKey(a.key)).toBe(a.hash);
    expect(hashApiKey(b.key)).not.toBe(a.hash);
    expect(a.hash).not.toContain(a.key.slice(KEY_PREFIX.length));
  });

  it("recognises only well-formed keys", () => {
    expect(looksLikeApiKey(generateApiKey().key)).toBe(true);
    expect(looksLikeApiKey("fdk_live_short")).toBe(false);
    expect(looksLikeApiKey("sk_live_" + "a".repeat(32))).toBe(false);
  });
});

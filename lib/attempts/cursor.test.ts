import { describe, expect, it } from "vitest";
import { decodeAttemptCursor, encodeAttemptCursor } from "./cursor";

describe("attempt cursors", () => {
  it("round-trip a position, large lead ids included, as URL-safe text", () => {
    for (const p of [
      { leadId: 1n, attemptNumber: 1 },
      { leadId: 123_456_789n, attemptNumber: 3 },
      { leadId: 2n ** 63n - 1n, attemptNumber: 2 ** 31 - 1 },
    ]) {
      const cursor = encodeAttemptCursor(p);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeAttemptCursor(cursor)).toEqual(p);
    }
  });

  it("is stable: the same position always gives the same cursor", () => {
    expect(encodeAttemptCursor({ leadId: 42n, attemptNumber: 2 })).toBe(encodeAttemptCursor({ leadId: 42n, attemptNumber: 2 }));
    expect(encodeAttemptCursor({ leadId: 42n, attemptNumber: 2 })).not.toBe(encodeAttemptCursor({ leadId: 42n, attemptNumber: 3 }));
  });

  it("refuses what no page handed out", () => {
    const forged = (text: string) => btoa(text).replace(/=+$/, "");
    for (const bad of ["", "abc", "12", "not base64!", forged("12"), forged("12:"), forged("-1:2"), forged("1:2:3"), forged("9223372036854775808:1"), forged("1:2147483648"), "x".repeat(65)]) {
      expect(decodeAttemptCursor(bad), bad).toBeNull();
    }
  });
});

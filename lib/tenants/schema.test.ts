import { describe, expect, it } from "vitest";
import { callingRulesBodySchema, frequencyCapsSchema, signupSchema, tenantLimitsSchema } from "./schema";

const valid = { organisation: "Acme", name: "Ada", email: "Ada@Example.com ", password: "correct horse battery" };

describe("signupSchema", () => {
  it("normalises the email", () => {
    expect(signupSchema.parse(valid).email).toBe("ada@example.com");
  });

  it("gives a field-level message for each bad field", () => {
    const result = signupSchema.safeParse({ organisation: "", name: "x".repeat(81), email: "not-an-email", password: "short" });
    expect(result.success).toBe(false);
    const fields = Object.fromEntries(result.error!.issues.map((i) => [i.path[0], i.message]));
    expect(fields).toEqual({
      organisation: "Use at least 2 characters",
      name: "Use at most 80 characters",
      email: "Enter a valid email address",
      password: "Use at least 10 characters",
    });
  });

  it("rejects weak repetitive passwords and overlong ones", () => {
    expect(signupSchema.safeParse({ ...valid, password: "aaaaaaaaaaaa" }).success).toBe(false);
    expect(signupSchema.safeParse({ ...valid, password: "x1".repeat(65) }).success).toBe(false);
  });

  it("counts the password's length in UTF-8 bytes, as bcrypt does: at most 72", () => {
    expect(signupSchema.safeParse({ ...valid, password: "abcd".repeat(18) }).success).toBe(true); // 72 bytes
    expect(signupSchema.safeParse({ ...valid, password: "abcd".repeat(18) + "e" }).success).toBe(false);
    // 38 characters, 74 bytes: a character count would let bcrypt silently drop the last 2 bytes.
    const accented = signupSchema.safeParse({ ...valid, password: "ñçéèàùâîäöüß".repeat(3) + "ab" });
    expect(accented.success).toBe(false);
    expect(accented.error!.issues[0]!.message).toMatch(/at most 72 bytes/);
  });
});

describe("tenantLimitsSchema", () => {
  it("treats empty caps as unlimited", () => {
    expect(tenantLimitsSchema.parse({ weight: "2", maxConcurrent: "", maxCps: "" })).toEqual({ weight: 2, maxConcurrent: null, maxCps: null });
  });
  it("rejects a zero weight", () => {
    expect(tenantLimitsSchema.safeParse({ weight: 0, maxConcurrent: null, maxCps: null }).success).toBe(false);
  });
});

describe("frequencyCapsSchema", () => {
  it("reads form text and JSON numbers alike; empty or null is off", () => {
    expect(frequencyCapsSchema.parse({ per24h: " 3 ", per30d: "" })).toEqual({ per24h: 3, per30d: null });
    expect(frequencyCapsSchema.parse({ per24h: null, per30d: 100 })).toEqual({ per24h: null, per30d: 100 });
  });

  it("refuses 0, 101, fractions, text and a missing value, each with a message for the field", () => {
    for (const bad of [0, "0", 101, "101", 2.5, "2.5", "-1", "three", true]) {
      const result = frequencyCapsSchema.safeParse({ per24h: bad, per30d: null });
      expect(result.success, String(bad)).toBe(false);
      expect(result.error!.issues.map((i) => [i.path.join("."), i.message]), String(bad)).toEqual([["per24h", "Enter a whole number from 1 to 100, or leave it empty for no limit"]]);
    }
    expect(callingRulesBodySchema.safeParse({ callsPer24h: 3 }).error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["callsPer30d", "Required: a number of calls, or null for no limit"],
    ]);
  });
});

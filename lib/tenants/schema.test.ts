import { describe, expect, it } from "vitest";
import { signupSchema, tenantLimitsSchema } from "./schema";

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
});

describe("tenantLimitsSchema", () => {
  it("treats empty caps as unlimited", () => {
    expect(tenantLimitsSchema.parse({ weight: "2", maxConcurrent: "", maxCps: "" })).toEqual({ weight: 2, maxConcurrent: null, maxCps: null });
  });
  it("rejects a zero weight", () => {
    expect(tenantLimitsSchema.safeParse({ weight: 0, maxConcurrent: null, maxCps: null }).success).toBe(false);
  });
});

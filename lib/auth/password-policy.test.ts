import { describe, expect, it } from "vitest";
import { isCommonPassword, serverPasswordSchema } from "./password-policy";

describe("common passwords", () => {
  it("refuses the passwords guessing tries first, whatever their case", () => {
    for (const p of ["password1234", "Password123", "qwertyuiop", "1234567890", "1q2w3e4r5t"]) expect(isCommonPassword(p)).toBe(true);
    expect(serverPasswordSchema.safeParse("Password123").error?.issues[0]?.message).toMatch(/most common passwords/);
  });

  it("accepts passphrases that are not on the list", () => {
    for (const p of ["an uncommon passphrase", "e2e correct horse battery", "fairdial-demo-2026"]) expect(serverPasswordSchema.safeParse(p).success).toBe(true);
  });
});

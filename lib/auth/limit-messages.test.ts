import { describe, expect, it } from "vitest";
import { rateLimitedSignInCode, retryAfterText, signInErrorMessage } from "./limit-messages";

describe("sign-in error messages", () => {
  it("turns the rate-limit code authorize() throws into the wait the user reads", () => {
    expect(signInErrorMessage(rateLimitedSignInCode(600))).toBe("Too many sign-in attempts. Try again in 10 minutes.");
    expect(signInErrorMessage(rateLimitedSignInCode(30))).toBe("Too many sign-in attempts. Try again in 1 minute.");
    expect(signInErrorMessage("CredentialsSignin")).toBe("Wrong email or password.");
  });

  it("never shows text from the URL: unknown codes get a fixed message", () => {
    expect(signInErrorMessage("Your account is locked. Call +1 555 0100")).toBe("Sign-in failed. Try again.");
    expect(signInErrorMessage("RateLimited:10 call us")).toBe("Sign-in failed. Try again.");
    expect(signInErrorMessage(null)).toBeNull();
  });

  it("rounds waits up to whole minutes", () => {
    expect(retryAfterText(3600)).toBe("Try again in 60 minutes.");
    expect(retryAfterText(61)).toBe("Try again in 2 minutes.");
  });
});

// What a rate-limited user reads. Browser-safe: the sign-in form turns next-auth's error code into this text.

/** "Try again in 3 minutes." */
export function retryAfterText(retryAfterSec: number) {
  const minutes = retryAfterMinutes(retryAfterSec);
  return `Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/**
 * The error authorize() throws when sign-in is rate-limited. next-auth puts an error's message into the sign-in
 * page's `?error=`; it is a code, not prose, so a crafted link cannot make our page display an attacker's text.
 */
export function rateLimitedSignInCode(retryAfterSec: number) {
  return `RateLimited:${retryAfterMinutes(retryAfterSec)}`;
}

export function signInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  if (code === "CredentialsSignin") return "Wrong email or password.";
  const limited = /^RateLimited:(\d{1,4})$/.exec(code);
  if (limited) return `Too many sign-in attempts. ${retryAfterText(Number(limited[1]) * 60)}`;
  return "Sign-in failed. Try again.";
}

function retryAfterMinutes(retryAfterSec: number) {
  return Math.max(1, Math.ceil(retryAfterSec / 60));
}

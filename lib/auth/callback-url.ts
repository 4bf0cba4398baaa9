// Where to go after sign-in. An open redirect here turns our sign-in page into a phishing tool ("sign in, then land
// on a look-alike site"), so only a path on our own origin is accepted. Browser-safe: the sign-in form uses it too.
export const DEFAULT_AFTER_SIGN_IN = "/dashboard";

/**
 * `raw` as a same-origin path ("/t/abc?x=1#y"), or "/dashboard". Refuses backslashes and control characters
 * (browsers read `/\evil.example` and `/\t/evil.example` as `//evil.example`), protocol-relative `//host`, other
 * origins, and schemes such as `javascript:`; a path that normalises to `//…` is refused as well.
 */
export function safeCallbackPath(raw: unknown, origin: string): string {
  if (typeof raw !== "string" || raw === "" || raw.length > 2048) return DEFAULT_AFTER_SIGN_IN;
  if (/[\\\u0000-\u001f\u007f]/.test(raw) || raw.startsWith("//")) return DEFAULT_AFTER_SIGN_IN;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(raw, base);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (url.origin !== base.origin || url.username || url.password) return DEFAULT_AFTER_SIGN_IN;
  // A relative path must start at the root: "evil.example/x" or "javascript:…" never do.
  if (!/^https?:\/\//i.test(raw) && !raw.startsWith("/")) return DEFAULT_AFTER_SIGN_IN;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") ? DEFAULT_AFTER_SIGN_IN : path;
}

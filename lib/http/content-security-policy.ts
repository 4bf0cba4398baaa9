// The pages' Content-Security-Policy and HSTS, built per request by proxy.ts. Next reads the nonce back from the
// request's CSP header and puts it on its own scripts, so only scripts this server rendered run.

export interface PolicyOptions {
  nonce: string;
  /** `next dev`: React's dev tools need eval, and hot reload injects styles without a nonce. */
  dev: boolean;
  /** Served over https in production: also upgrade stray http subresources. */
  https: boolean;
}

export function contentSecurityPolicy({ nonce, dev, https }: PolicyOptions): string {
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic': the nonce'd framework scripts may load the page's chunks; no other script runs.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // <style> elements need the nonce. Style *attributes* cannot carry one, and the pages render some
    // (progress bars' widths, recharts' SVG layout), so attributes alone allow inline: a style attribute
    // cannot select or read other elements, which is what makes injected <style> dangerous.
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** A fresh, unguessable nonce (128 bits) for one response. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * HSTS only where the site really is https in production: sent from a plain-http or local server it would
 * make browsers refuse that host over http for two years.
 */
export function servesHttpsInProduction(nodeEnv: string | undefined, nextAuthUrl: string | undefined): boolean {
  return nodeEnv === "production" && (nextAuthUrl ?? "").startsWith("https://");
}

export const HSTS = "max-age=63072000; includeSubDomains";

// The client's address for rate limits and logs. X-Forwarded-For is a list anyone can write into: a client sends
// whatever entries it likes and each proxy appends the address it saw. Only the entries appended by our own
// proxies can be believed, so we count TRUST_PROXY_HOPS entries in from the right of "chain + socket address"
// and never look further left. With 0 hops (no proxy) the header is ignored and the socket address is the client.
import { isIP } from "node:net";

/** Set by scripts/web.ts on every request (overwriting any a client sent); read by clientIp(). */
export const CLIENT_IP_HEADER = "x-fairdial-client-ip";

export function resolveClientIp(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string {
  const socket = normalizeIp(socketAddress ?? "") ?? "unknown";
  if (trustedHops <= 0) return socket;
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, socket];
  // Fewer entries than trusted hops means a request that skipped a proxy: the leftmost is then the best we have,
  // and it is still one a trusted party (a proxy or the socket) vouched for.
  const picked = chain[Math.max(0, chain.length - 1 - trustedHops)]!;
  // A malformed entry can only come from a proxy we trust being misconfigured; the socket address is safer.
  return normalizeIp(picked) ?? socket;
}

/** An IP without port, brackets or the IPv4-mapped IPv6 prefix; null when it is not an IP address. */
export function normalizeIp(raw: string): string | null {
  let ip = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed) ip = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":"));
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(ip)) ip = ip.slice(7);
  return isIP(ip) ? ip.toLowerCase() : null;
}

// Where a webhook may go. Endpoint URLs are chosen by tenants, so without a check they could make fairdial's servers
// call its own network (metadata services, databases, admin ports): every address a host name resolves to must be
// public unicast, checked at send time (DNS can change after the endpoint was saved) and the connection pinned to
// the address that was checked (no second lookup a rebinding DNS server could answer differently). An allow-list
// (WEBHOOK_ALLOWED_TARGETS) admits chosen private hosts or networks, e.g. a receiver on localhost in development.
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { MAX_URL_LENGTH } from "./limits";

export { MAX_URL_LENGTH } from "./limits";

export type TargetPolicy = {
  /** CIDR ranges (10.0.0.0/8, ::1/128) and host names allowed even though they are not public. */
  allowed: string[];
  /** Plain http:// is accepted (development, test, or an allow-listed host). */
  allowHttp: boolean;
};

export class TargetRefused extends Error {}

/** Checks a URL's shape when an endpoint is saved: the error says what to change. Returns the normalised URL. */
export function checkEndpointUrl(raw: string, policy: TargetPolicy): string {
  if (raw.length > MAX_URL_LENGTH) throw new TargetRefused(`The URL is longer than ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused("Not a valid URL; use https://example.com/webhooks.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TargetRefused("The URL must start with https://.");
  if (url.username || url.password) throw new TargetRefused("The URL must not contain a user name or password; authenticate the requests by their signature.");
  url.hash = "";
  const literal = literalAddress(url.hostname);
  // Plain http only outside production, or to a host the operator allow-listed (by name or network).
  const listed = hostAllowed(url.hostname, policy) || (literal !== null && inAllowedNetwork(literal, policy));
  if (url.protocol === "http:" && !policy.allowHttp && !listed) throw new TargetRefused("The URL must use https://.");
  if (literal && !addressAllowed(literal, policy)) throw new TargetRefused(refusal(url.hostname, literal));
  if (!literal && isLocalName(url.hostname) && !hostAllowed(url.hostname, policy)) throw new TargetRefused(`${url.hostname} is a local name; use a public host.`);
  return url.toString();
}

/**
 * Resolves the URL's host and returns the one address to connect to, or throws TargetRefused when any address the
 * name resolves to is not allowed (a name with one private address among public ones is refused as a whole).
 */
export async function resolveTarget(url: URL, policy: TargetPolicy, resolve = defaultResolve): Promise<{ address: string; family: 4 | 6 }> {
  const host = url.hostname;
  const literal = literalAddress(host);
  const addresses = literal ? [literal] : await resolve(host).catch((err: NodeJS.ErrnoException) => {
    throw new TargetRefused(`could not resolve ${host} (${err.code ?? err.message})`);
  });
  if (addresses.length === 0) throw new TargetRefused(`${host} has no address`);
  const hostIsAllowed = hostAllowed(host, policy);
  for (const a of addresses) {
    if (!hostIsAllowed && !addressAllowed(a, policy)) throw new TargetRefused(refusal(host, a));
  }
  const chosen = addresses[0]!;
  return { address: chosen.toString(), family: chosen.kind() === "ipv6" ? 6 : 4 };
}

async function defaultResolve(host: string): Promise<(ipaddr.IPv4 | ipaddr.IPv6)[]> {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((f) => unmapped(ipaddr.parse(f.address)));
}

function literalAddress(hostname: string) {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) && (bare.includes(":") || ipaddr.IPv4.isValidFourPartDecimal(bare)) ? unmapped(ipaddr.parse(bare)) : null;
}

/** ::ffff:10.0.0.1 is 10.0.0.1: judge the IPv4 address inside. */
function unmapped(a: ipaddr.IPv4 | ipaddr.IPv6) {
  return a.kind() === "ipv6" && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
}

function addressAllowed(a: ipaddr.IPv4 | ipaddr.IPv6, policy: TargetPolicy) {
  return a.range() === "unicast" || inAllowedNetwork(a, policy);
}

function inAllowedNetwork(a: ipaddr.IPv4 | ipaddr.IPv6, policy: TargetPolicy) {
  return policy.allowed.some((entry) => {
    if (!entry.includes("/")) return false;
    try {
      const [net, bits] = ipaddr.parseCIDR(entry);
      return net.kind() === a.kind() && a.match([net, bits] as never);
    } catch {
      return false;
    }
  });
}

function hostAllowed(host: string, policy: TargetPolicy) {
  const h = host.toLowerCase();
  return policy.allowed.some((entry) => !entry.includes("/") && entry.toLowerCase() === h);
}

function isLocalName(host: string) {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost") || h.endsWith(".local") || h.endsWith(".internal") || !h.includes(".");
}

function refusal(host: string, a: ipaddr.IPv4 | ipaddr.IPv6) {
  const what = a.range() === "loopback" ? "a loopback" : a.range() === "linkLocal" ? "a link-local" : a.range() === "private" || a.range() === "uniqueLocal" ? "a private" : `a non-public (${a.range()})`;
  return `${host} resolves to ${what} address (${a.toString()}); webhooks go to public addresses only`;
}

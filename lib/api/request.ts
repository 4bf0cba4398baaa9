import { headers } from "next/headers";
import { CLIENT_IP_HEADER } from "../http/client-ip";

/**
 * The client address as scripts/web.ts resolved it from the socket and the trusted proxy hops. Never read
 * X-Forwarded-For here: its leftmost entries are whatever the client wrote. "unknown" when the app is not served by
 * scripts/web.ts (e.g. `next dev`): those requests then share one rate-limit bucket.
 */
export function clientIp(req: Request) {
  return clientIpFromHeaders(req.headers);
}

export function clientIpFromHeaders(headers: Headers | Record<string, string | string[] | undefined> | undefined) {
  const value = headers instanceof Headers ? headers.get(CLIENT_IP_HEADER) : headers?.[CLIENT_IP_HEADER];
  const ip = Array.isArray(value) ? value[0] : value;
  return ip?.trim() || "unknown";
}

/** The client address of the request being handled, for Server Actions (which get no Request object). */
export async function requestClientIp() {
  return clientIpFromHeaders(await headers());
}

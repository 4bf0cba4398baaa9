// Runs before every page: a per-request CSP nonce, and HSTS in production. API routes, SSE streams and static
// files are left out (see the matcher); next.config.mjs headers() gives every response the static headers.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, HSTS, newNonce, servesHttpsInProduction } from "@/lib/http/content-security-policy";

export function proxy(request: NextRequest) {
  // process.env, not lib/env: the proxy may be bundled apart from the app and must not fail a page on an
  // unrelated setting; the web process already refused to start on a bad one.
  const https = servesHttpsInProduction(process.env.NODE_ENV, process.env.NEXTAUTH_URL);
  const policy = contentSecurityPolicy({ nonce: newNonce(), dev: process.env.NODE_ENV === "development", https });

  // Next takes the nonce from the request's CSP header while rendering and adds it to its scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  matcher: [
    {
      // Everything but API routes (JSON, CSV and event streams: no scripts to allow), build output and icons.
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      // Prefetches only fetch data for later; the page's own request gets the policy.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};

// GET/POST /api/auth/* — next-auth (credentials), with sign-in attempts rate-limited per email and IP
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth";
import { consumeSignInAttempt } from "@/lib/rate-limit";
import { clientIp } from "@/lib/api/request";

const handler = NextAuth(authOptions);

type Ctx = { params: Promise<{ nextauth: string[] }> };

export async function GET(req: Request, ctx: Ctx) {
  return handler(req, ctx);
}

export async function POST(req: Request, ctx: Ctx) {
  const { nextauth } = await ctx.params;
  if (nextauth.join("/") === "callback/credentials") {
    const form = await req.clone().formData();
    const limit = await consumeSignInAttempt(String(form.get("email") ?? ""), clientIp(req));
    if (!limit.ok) {
      const minutes = Math.ceil(limit.retryAfterSec / 60);
      // next-auth's client reads `url` and its `error` parameter; the status tells API callers what happened.
      const url = new URL("/signin", req.url);
      url.searchParams.set("error", "RateLimited");
      return Response.json(
        { url: url.toString(), error: "rate_limited", message: `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` },
        { status: 429, headers: { "Retry-After": String(limit.retryAfterSec) } },
      );
    }
  }
  return handler(req, ctx);
}

// GET/POST /api/auth/* — next-auth (credentials); sign-in attempts are rate-limited inside authorize() (lib/auth.ts)
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth";
import { BodyTooLargeError, tooLargeResponse, withCappedBody } from "@/lib/http/body";

// An email, a password and a CSRF token fit many times over; nothing unauthenticated gets to stream more.
const AUTH_BODY_MAX_BYTES = 16 * 1024;

const handler = NextAuth(authOptions);

type Ctx = { params: Promise<{ nextauth: string[] }> };

export async function GET(req: NextRequest, ctx: Ctx) {
  return handler(req, ctx);
}

export async function POST(req: NextRequest, ctx: Ctx) {
  let capped: Request;
  try {
    capped = await withCappedBody(req, AUTH_BODY_MAX_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return tooLargeResponse(err);
    throw err;
  }
  // next-auth reads `nextUrl`, which only a NextRequest has.
  return handler(new NextRequest(capped), ctx);
}

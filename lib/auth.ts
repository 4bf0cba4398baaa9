import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "./env";
import { clientIpFromHeaders } from "./api/request";
import { safeCallbackPath } from "./auth/callback-url";
import { rateLimitedSignInCode } from "./auth/limit-messages";
import { verifyPassword } from "./auth/password";
import { SESSION_RENEW_SEC } from "./auth/session-renewal";
import { consumeSignInAttempt, resetSignInAttempts } from "./rate-limit";
import { signInSchema } from "./tenants/schema";
import { findUserByEmailWithHash } from "./tenants/data";

// A fixed hash so an unknown email costs as much time as a wrong password (no account enumeration by timing).
const DUMMY_HASH = "$2b$11$GVbP0F1I.SWa/2Dp3tl.k.ouPl1EYr5xlRiS6Kx30l3f8PcmEfDjW";

export const authOptions: NextAuthOptions = {
  secret: env().NEXTAUTH_SECRET,
  // The token is re-issued with a fresh expiry whenever /api/auth/session is read, which the signed-in pages do
  // every SESSION_RENEW_SEC while visible (components/auth/session-keep-alive.tsx): an idle session expires.
  session: { strategy: "jwt", maxAge: env().SESSION_MAX_AGE_SEC, updateAge: SESSION_RENEW_SEC },
  // Errors land on our sign-in page too (?error=<code>), also for a browser that posted the form without JS.
  pages: { signIn: "/signin", error: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      // The limits live here, after next-auth has parsed the body, so no URL shape (/callback/credentials/x),
      // duplicated form field or JSON body reaches a password check uncounted. `req.headers` are the request's
      // own (next-auth reads them from next/headers), where scripts/web.ts put the resolved client address.
      async authorize(credentials, req) {
        const parsed = signInSchema.safeParse(credentials ?? {});
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const limit = await consumeSignInAttempt(email, clientIpFromHeaders(req?.headers));
        // next-auth sends the browser to /signin?error=<this message>; the page turns the code into words.
        if (!limit.ok) throw new Error(rateLimitedSignInCode(limit.retryAfterSec));
        const user = await findUserByEmailWithHash(email);
        const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
        if (!user || !valid) return null;
        await resetSignInAttempts(email);
        return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
      },
    }),
  ],
  callbacks: {
    // Only the user id and the session version travel in the token; tenant, role and admin flag are read fresh
    // per request, and a version that no longer matches the user's (lib/auth/session.ts) means signed out.
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sv = (user as { sessionVersion?: number }).sessionVersion;
      }
      return token;
    },
    async session({ session, token }) {
      return { ...session, uid: token.uid as string | undefined, sv: token.sv as number | undefined };
    },
    // Sign-in and sign-out only ever continue to a path on this site (no open redirect).
    async redirect({ url, baseUrl }) {
      const origin = new URL(baseUrl).origin;
      return `${origin}${safeCallbackPath(url, origin)}`;
    },
  },
};

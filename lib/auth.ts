import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "./env";
import { verifyPassword } from "./auth/password";
import { resetSignInAttempts } from "./rate-limit";
import { signInSchema } from "./tenants/schema";
import { findUserByEmailWithHash } from "./tenants/data";

// A fixed hash so an unknown email costs as much time as a wrong password (no account enumeration by timing).
const DUMMY_HASH = "$2b$11$GVbP0F1I.SWa/2Dp3tl.k.ouPl1EYr5xlRiS6Kx30l3f8PcmEfDjW";

export const authOptions: NextAuthOptions = {
  secret: env().NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const parsed = signInSchema.safeParse(credentials ?? {});
        if (!parsed.success) return null;
        const user = await findUserByEmailWithHash(parsed.data.email);
        const valid = await verifyPassword(parsed.data.password, user?.passwordHash ?? DUMMY_HASH);
        if (!user || !valid) return null;
        await resetSignInAttempts(parsed.data.email);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    // Only the user id travels in the token; tenant, role and admin flag are read fresh per request.
    async jwt({ token, user }) {
      if (user) token.uid = user.id;
      return token;
    },
    async session({ session, token }) {
      return { ...session, uid: token.uid as string | undefined };
    },
  },
};

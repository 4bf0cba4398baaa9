// Sign-in through the real next-auth route (real Redis limits, real Postgres users), as a browser or a script would
// call it: CSRF cookie first, then the credentials callback. The client address travels in the header that
// scripts/web.ts sets, computed here the same way from a socket address and a client-chosen X-Forwarded-For.
import { randomUUID } from "node:crypto";
import { inRequestScope } from "../test/next-request-scope";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "../../app/api/auth/[...nextauth]/route";
import { db } from "../db";
import { env } from "../env";
import { CLIENT_IP_HEADER, resolveClientIp } from "../http/client-ip";
import { consumeSignInAttempt, EMAIL_ATTEMPTS, limitPoints } from "../rate-limit";
import { createTenant, uniqueId } from "../test/factories";
import { changePassword, removeMember, revokeSessions } from "../tenants/mutations";
import { hashPassword } from "./password";
import { currentUser } from "./session";

const BASE = "http://127.0.0.1:3000";
const ROUTE = "/api/auth/[...nextauth]";
const PASSWORD = "right password for tests";
const created: string[] = [];
// Every sign-in is a bcrypt compare (cost 11, pure JS): a test of ~20 of them took 30 s with both cores busy.
const BCRYPT_HEAVY = { timeout: 300_000 };

beforeAll(() => {
  process.env.NEXTAUTH_URL = BASE; // next-auth reads it from process.env
});
afterAll(async () => {
  await db.tenant.deleteMany({ where: { id: { in: created } } });
});

describe("sign-in rate limits inside authorize()", BCRYPT_HEAVY, () => {
  it("refuses the right password on /api/auth/callback/credentials/x after 10 wrong ones (no session cookie)", async () => {
    const { email } = await newUser();
    for (let i = 0; i < EMAIL_ATTEMPTS; i++) {
      const wrong = await signIn({ email, password: `wrong ${i}` }, { path: ["callback", "credentials", "x"], ip: randomIp() });
      expect(wrong.error).toBe("CredentialsSignin");
    }
    for (const path of [["callback", "credentials", "x"], ["callback", "credentials", "x", "y"], ["callback", "credentials"]]) {
      const right = await signIn({ email, password: PASSWORD }, { path, ip: randomIp() });
      expect(right.sessionCookie).toBeUndefined();
      expect(right.error).toBe("RateLimited:10");
    }
  });

  it("counts the email next-auth uses when a form repeats the field, and JSON bodies too", async () => {
    const { email } = await newUser();
    for (let i = 0; i < EMAIL_ATTEMPTS / 2; i++) {
      // The first field is a decoy; next-auth reads the last one.
      const body = new URLSearchParams([["email", `decoy-${randomUUID()}@example.test`], ["email", email], ["password", `wrong ${i}`]]);
      expect((await signIn(body, { ip: randomIp() })).error).toBe("CredentialsSignin");
      expect((await signIn({ email, password: `wrong json ${i}` }, { ip: randomIp(), json: true })).error).toBe("CredentialsSignin");
    }
    const right = await signIn({ email, password: PASSWORD }, { ip: randomIp(), json: true });
    expect(right.sessionCookie).toBeUndefined();
    expect(right.error).toMatch(/^RateLimited:/);
  });

  it("limits one client address however it rotates its X-Forwarded-For entries", async () => {
    const socket = randomIp();
    const { email } = await newUser();
    // Use up all but one of the address's allowance on other accounts.
    for (let i = 0; i < limitPoints("signInIp") - 1; i++) expect((await consumeSignInAttempt(`${randomUUID()}@x.test`, socket)).ok).toBe(true);
    const attempt = (forwardedFor: string, password: string) =>
      signIn({ email, password }, { ip: resolveClientIp(socket, forwardedFor, env().TRUST_PROXY_HOPS), forwardedFor });
    expect((await attempt(randomIp(), "wrong")).error).toBe("CredentialsSignin");
    for (const forwardedFor of [randomIp(), `${randomIp()}, ${randomIp()}`, "unknown", ""]) {
      const res = await attempt(forwardedFor, PASSWORD);
      expect(res.sessionCookie).toBeUndefined();
      expect(res.error).toMatch(/^RateLimited:/);
    }
  });

  it("signs in with the right password, and a successful sign-in clears the email's failures", async () => {
    const { email, user } = await newUser();
    const half = EMAIL_ATTEMPTS / 2 + 1;
    for (let i = 0; i < half; i++) await signIn({ email, password: "wrong" }, { ip: randomIp() });
    const ok = await signIn({ email, password: PASSWORD }, { ip: randomIp() });
    expect(ok.status).toBe(200);
    expect(ok.sessionCookie).toBeDefined();
    expect((await whoIs(ok.sessionCookie!))?.id).toBe(user.id);
    // Together with the failures before the success these are over the limit: only a reset lets them all through.
    for (let i = 0; i < half; i++) expect((await signIn({ email, password: "wrong" }, { ip: randomIp() })).error).toBe("CredentialsSignin");
  });

  it("continues only to a path on this site after sign-in", async () => {
    const { email } = await newUser();
    for (const callbackUrl of ["//evil.example", "/\\evil.example", "https://evil.example/dashboard", "javascript:alert(1)"]) {
      const res = await signIn({ email, password: PASSWORD, callbackUrl }, { ip: randomIp() });
      expect(res.sessionCookie).toBeDefined();
      expect(res.url).toBe(`${BASE}/dashboard`);
    }
    expect((await signIn({ email, password: PASSWORD, callbackUrl: "/t/abc/settings" }, { ip: randomIp() })).url).toBe(`${BASE}/t/abc/settings`);
  });
});

describe("auth request bodies", () => {
  it("answers 413 to a body over 16 KB, declared or streamed, before next-auth reads it", async () => {
    const { email } = await newUser();
    const big = new URLSearchParams({ email, password: PASSWORD, padding: "x".repeat(17 * 1024) }).toString();
    const declared = await postAuth(["callback", "credentials"], big, { "content-type": "application/x-www-form-urlencoded" });
    expect(declared.status).toBe(413);
    const streamed = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode("x".repeat(1024)));
        c.close();
      },
    });
    const chunked = await postAuth(["callback", "credentials"], streamed, { "content-type": "application/x-www-form-urlencoded" });
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });
});

describe("revocable sessions", BCRYPT_HEAVY, () => {
  it("a token signs out once the user's session version moves on (sign out everywhere)", async () => {
    const { user } = await newUser();
    const token = await sessionCookieFor(user.id, 0);
    expect((await whoIs(token))?.id).toBe(user.id);
    await revokeSessions(user.id);
    expect(await whoIs(token)).toBeNull();
    expect((await whoIs(await sessionCookieFor(user.id, 1)))?.id).toBe(user.id);
  });

  it("a token from before session versions existed is signed out", async () => {
    const { user } = await newUser();
    expect(await whoIs(await sessionCookieFor(user.id, undefined))).toBeNull();
  });

  it("changing the password ends existing sessions; the new password signs in, the old one no longer does", async () => {
    const { email, user } = await newUser();
    const before = (await signIn({ email, password: PASSWORD }, { ip: randomIp() })).sessionCookie!;
    expect((await whoIs(before))?.id).toBe(user.id);
    await changePassword(user.id, PASSWORD, "a brand new passphrase");
    expect(await whoIs(before)).toBeNull();
    expect((await signIn({ email, password: PASSWORD }, { ip: randomIp() })).sessionCookie).toBeUndefined();
    const after = (await signIn({ email, password: "a brand new passphrase" }, { ip: randomIp() })).sessionCookie!;
    expect((await whoIs(after))?.id).toBe(user.id);
  });

  it("a removed member's session ends at once", async () => {
    const { user: owner, tenantId } = await newUser("OWNER");
    const member = await db.user.create({ data: { tenantId, email: `${uniqueId("m")}@example.test`, name: "M", passwordHash: "x", role: "MEMBER" } });
    const token = await sessionCookieFor(member.id, member.sessionVersion);
    expect((await whoIs(token))?.id).toBe(member.id);
    await removeMember(tenantId, member.id, owner.id);
    expect(await whoIs(token)).toBeNull();
  });
});

async function newUser(role: "OWNER" | "MEMBER" = "OWNER") {
  const tenant = await createTenant();
  created.push(tenant.id);
  const email = `${uniqueId("signin")}@example.test`;
  const user = await db.user.create({ data: { tenantId: tenant.id, email, name: "Tester", role, passwordHash: await hashPassword(PASSWORD) } });
  return { email, user, tenantId: tenant.id };
}

/** A random private address, so no other test shares its counters. */
function randomIp() {
  const b = randomUUID().replace(/-/g, "");
  return `10.${parseInt(b.slice(0, 2), 16)}.${parseInt(b.slice(2, 4), 16)}.${parseInt(b.slice(4, 6), 16)}`;
}

async function postAuth(path: string[], body: BodyInit, headers: Record<string, string>) {
  const req = new Request(`${BASE}/api/auth/${path.join("/")}`, { method: "POST", body, headers, duplex: "half" } as RequestInit);
  return inRequestScope(req, ROUTE, (r) => POST(r, { params: Promise.resolve({ nextauth: path }) }));
}

async function signIn(
  fields: Record<string, string> | URLSearchParams,
  opts: { path?: string[]; ip: string; forwardedFor?: string; json?: boolean },
) {
  const csrf = await inRequestScope(new Request(`${BASE}/api/auth/csrf`), ROUTE, (r) => GET(r, { params: Promise.resolve({ nextauth: ["csrf"] }) }));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c: string) => c.split(";")[0]).join("; ");
  const headers: Record<string, string> = { cookie, [CLIENT_IP_HEADER]: opts.ip };
  if (opts.forwardedFor !== undefined) headers["x-forwarded-for"] = opts.forwardedFor;
  let body: string;
  if (opts.json) {
    headers["content-type"] = "application/json";
    body = JSON.stringify({ ...Object.fromEntries(new URLSearchParams(fields as Record<string, string>)), csrfToken, json: "true" });
  } else {
    headers["content-type"] = "application/x-www-form-urlencoded";
    const form = new URLSearchParams(fields);
    form.append("csrfToken", csrfToken);
    form.append("json", "true");
    body = form.toString();
  }
  const res = await postAuth(opts.path ?? ["callback", "credentials"], body, headers);
  const { url } = (await res.json()) as { url: string };
  const sessionCookie = res.headers
    .getSetCookie()
    .map((c: string) => c.split(";")[0]!)
    .find((c: string) => c.startsWith("next-auth.session-token=") && c.length > "next-auth.session-token=".length);
  return { status: res.status, url, error: new URL(url).searchParams.get("error"), sessionCookie };
}

/** A session cookie as next-auth would issue it, with the given claims. */
async function sessionCookieFor(uid: string, sv: number | undefined) {
  const jwt = await encode({ token: { sub: uid, uid, ...(sv === undefined ? {} : { sv }) }, secret: env().NEXTAUTH_SECRET, maxAge: 3600 });
  return `next-auth.session-token=${jwt}`;
}

/** Whom the app sees as signed in on a request with this cookie (the path every page and route goes through). */
function whoIs(cookie: string) {
  return inRequestScope(new Request(`${BASE}/dashboard`, { headers: { cookie } }), "/dashboard", () => currentUser());
}

// Signup, invite acceptance and password changes through their Server Actions, with the request's client address
// and session as the production server gives them (real Redis limits, real Postgres).
import { randomUUID } from "node:crypto";
import { inRequestScope } from "../test/next-request-scope";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../auth/password";
import { db } from "../db";
import { env } from "../env";
import { CLIENT_IP_HEADER } from "../http/client-ip";
import { limitPoints } from "../rate-limit";
import { uniqueId } from "../test/factories";
import { acceptInviteAction, changePasswordAction, signUpAction } from "./actions";
import { createInvite, INVITE_REFUSED, SIGNUP_REFUSED, signUp } from "./mutations";

const BASE = "http://127.0.0.1:3000";
const GOOD = "an uncommon passphrase";
const createdOrgs: string[] = [];

beforeAll(() => {
  process.env.NEXTAUTH_URL = BASE;
});
afterAll(async () => {
  await db.tenant.deleteMany({ where: { name: { in: createdOrgs } } });
});

describe("signup", () => {
  it(`creates at most ${limitPoints("signupIp")} workspaces per client address per hour`, async () => {
    const ip = randomIp();
    for (let i = 0; i < limitPoints("signupIp"); i++) expect((await signUpFrom(ip)).result.ok).toBe(true);
    const { result, organisation } = await signUpFrom(ip);
    expect(result).toEqual({ ok: false, message: "Too many new accounts from your network. Try again in 60 minutes." });
    expect(await db.tenant.count({ where: { name: organisation } })).toBe(0);
    expect((await signUpFrom(randomIp())).result.ok).toBe(true);
  });

  it("refuses passwords over 72 bytes (bcrypt would ignore the rest) and the most common passwords", async () => {
    const overlong = "é".repeat(20) + "x".repeat(33); // 53 characters, 73 bytes
    expect(new TextEncoder().encode(overlong).byteLength).toBe(73);
    for (const [password, message] of [
      [overlong, /at most 72 bytes/],
      ["password1234", /most common passwords/],
      ["Password123", /most common passwords/],
      ["qwertyuiop", /most common passwords/],
    ] as const) {
      const { result } = await signUpFrom(randomIp(), { password });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.fieldErrors?.password?.join(" ")).toMatch(message);
    }
    expect((await signUpFrom(randomIp(), { password: `uncommon ${"é".repeat(20)}${"x".repeat(23)}` })).result.ok).toBe(true); // exactly 72 bytes
  });

  it("answers an existing email with a message that does not confirm the account", async () => {
    const { email } = await existingAccount();
    const { result } = await signUpFrom(randomIp(), { email });
    expect(result).toMatchObject({ ok: false, fieldErrors: { email: [SIGNUP_REFUSED] } });
    expect(SIGNUP_REFUSED).not.toMatch(/exists|already (has|registered)/i);
  });
});

describe("invites", () => {
  it("inviting an address that has an account elsewhere looks like any invite; accepting it says nothing specific", async () => {
    const elsewhere = await existingAccount();
    const inviter = await existingAccount();
    const { token } = await createInvite(inviter.tenantId, elsewhere.email, "MEMBER");
    const result = await inRequestScope(actionRequest(randomIp()), "/invite/[token]", () => acceptInviteAction(token, form({ name: "X", password: GOOD })));
    expect(result).toEqual({ ok: false, message: INVITE_REFUSED });
  });

  it("limits attempts per invite token, without blocking other invites from the same address", async () => {
    const ip = randomIp();
    const guessed = `guess-${randomUUID()}`;
    const attempt = (token: string) => inRequestScope(actionRequest(ip), "/invite/[token]", () => acceptInviteAction(token, form({ name: "Guesser", password: GOOD })));
    for (let i = 0; i < 10; i++) expect(await attempt(guessed)).toMatchObject({ ok: false, message: expect.stringMatching(/invalid or has expired/) });
    expect(await attempt(guessed)).toEqual({ ok: false, message: "Too many attempts to accept invites. Try again in 60 minutes." });

    const owner = await existingAccount();
    const { token } = await createInvite(owner.tenantId, `${uniqueId("new")}@example.test`, "MEMBER");
    expect((await attempt(token)).ok).toBe(true);
  });

  it("refuses a common password when accepting an invite", async () => {
    const owner = await existingAccount();
    const { token } = await createInvite(owner.tenantId, `${uniqueId("new")}@example.test`, "MEMBER");
    const result = await inRequestScope(actionRequest(randomIp()), "/invite/[token]", () => acceptInviteAction(token, form({ name: "M", password: "1234567890" })));
    expect(result).toMatchObject({ ok: false, fieldErrors: { password: [expect.stringMatching(/most common passwords/)] } });
  });
});

describe("changing a password", () => {
  it("needs the current password, refuses common new ones, and is limited per user", async () => {
    const { user } = await existingAccount();
    const cookie = await sessionCookie(user.id, user.sessionVersion);
    const change = (currentPassword: string, newPassword: string) =>
      inRequestScope(actionRequest(randomIp(), cookie), "/t/[tenantId]/settings", () => changePasswordAction(form({ currentPassword, newPassword })));

    expect(await change(GOOD, "password123")).toMatchObject({ ok: false, fieldErrors: { newPassword: [expect.stringMatching(/most common/)] } });
    for (let i = 0; i < 5; i++) expect(await change(`not it ${i}`, "another fine passphrase")).toMatchObject({ ok: false, fieldErrors: { currentPassword: ["That is not your current password"] } });
    expect(await change(GOOD, "another fine passphrase")).toEqual({ ok: false, message: "Too many password changes. Try again in 15 minutes." });
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, omit: { passwordHash: false } });
    expect(await verifyPassword(GOOD, stored.passwordHash)).toBe(true);
    expect(stored.sessionVersion).toBe(user.sessionVersion);
  });

  it("sets the new password and bumps the session version", async () => {
    const { user } = await existingAccount();
    const cookie = await sessionCookie(user.id, user.sessionVersion);
    const result = await inRequestScope(actionRequest(randomIp(), cookie), "/t/[tenantId]/settings", () =>
      changePasswordAction(form({ currentPassword: GOOD, newPassword: "another fine passphrase" })),
    );
    expect(result).toEqual({ ok: true, data: undefined });
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, omit: { passwordHash: false } });
    expect(await verifyPassword("another fine passphrase", stored.passwordHash)).toBe(true);
    expect(stored.sessionVersion).toBe(user.sessionVersion + 1);
    expect(stored.passwordChangedAt).not.toBeNull();
  });
});

async function signUpFrom(ip: string, overrides: { password?: string; email?: string } = {}) {
  const organisation = `Limits ${uniqueId()}`;
  createdOrgs.push(organisation);
  const fields = { organisation, name: "Owner", email: overrides.email ?? `${uniqueId("owner")}@example.test`, password: overrides.password ?? GOOD };
  const result = await inRequestScope(actionRequest(ip), "/signup", () => signUpAction(form(fields)));
  return { result, organisation };
}

async function existingAccount() {
  const organisation = `Existing ${uniqueId()}`;
  createdOrgs.push(organisation);
  const email = `${uniqueId("existing")}@example.test`;
  const { tenant, user } = await signUp({ organisation, name: "Owner", email, password: GOOD });
  return { email, tenantId: tenant.id, user };
}

function actionRequest(ip: string, cookie?: string) {
  return new Request(`${BASE}/`, { method: "POST", headers: { [CLIENT_IP_HEADER]: ip, ...(cookie ? { cookie } : {}) } });
}

function form(fields: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

async function sessionCookie(uid: string, sv: number) {
  return `next-auth.session-token=${await encode({ token: { sub: uid, uid, sv }, secret: env().NEXTAUTH_SECRET, maxAge: 3600 })}`;
}

function randomIp() {
  const b = randomUUID().replace(/-/g, "");
  return `10.${parseInt(b.slice(0, 2), 16)}.${parseInt(b.slice(2, 4), 16)}.${parseInt(b.slice(4, 6), 16)}`;
}

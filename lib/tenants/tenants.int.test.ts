import { afterAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../api-keys/mutations";
import { listApiKeys } from "../api-keys/data";
import { db } from "../db";
import { FieldError, NotFoundError } from "../errors";
import { GET as me } from "../../app/api/v1/me/route";
import { uniqueId } from "../test/factories";
import { listMembers, listOpenInvites } from "./data";
import { acceptInvite, createInvite, removeMember, renameTenant, revokeInvite, signUp } from "./mutations";

afterAll(() => db.$disconnect());

async function newTenant(label: string) {
  return signUp({ organisation: `${label} ${uniqueId()}`, name: `${label} Owner`, email: `${uniqueId(label.toLowerCase())}@example.test`, password: "correct horse battery" });
}

function callMe(key?: string) {
  const headers: HeadersInit = key ? { authorization: `Bearer ${key}` } : {};
  return me(new Request("http://test/api/v1/me", { headers }), { params: Promise.resolve({}) });
}

describe("signup", () => {
  it("creates a tenant with its owner and never returns the password hash", async () => {
    const { tenant, user } = await newTenant("Signup");
    expect(user.role).toBe("OWNER");
    expect(user).not.toHaveProperty("passwordHash");
    const members = await listMembers(tenant.id);
    expect(members.map((m) => m.email)).toEqual([user.email]);
  });

  it("refuses an existing email and leaves no tenant behind", async () => {
    const { user } = await newTenant("Dup");
    // A name no other test uses, so tests running alongside cannot change the count.
    const organisation = `Another Org ${user.id}`;
    await expect(signUp({ organisation, name: "X", email: user.email, password: "correct horse battery" })).rejects.toThrow(FieldError);
    expect(await db.tenant.count({ where: { name: organisation } })).toBe(0);
  });
});

describe("tenant isolation: a foreign id is not found", () => {
  it("API keys, invites, members and names of tenant A cannot be touched through tenant B", async () => {
    const a = await newTenant("A");
    const b = await newTenant("B");
    const { record: keyA } = await createApiKey(a.tenant.id, "A's key");
    const { invite: inviteA } = await createInvite(a.tenant.id, `${uniqueId("inv")}@example.test`, "MEMBER");

    await expect(revokeApiKey(b.tenant.id, keyA.id)).rejects.toThrow(NotFoundError);
    await expect(revokeInvite(b.tenant.id, inviteA.id)).rejects.toThrow(NotFoundError);
    await expect(removeMember(b.tenant.id, a.user.id, b.user.id)).rejects.toThrow(NotFoundError);
    expect(await listApiKeys(b.tenant.id)).toEqual([]);
    expect(await listOpenInvites(b.tenant.id)).toEqual([]);

    // Nothing of A changed.
    expect((await listApiKeys(a.tenant.id))[0]!.revokedAt).toBeNull();
    expect(await listOpenInvites(a.tenant.id)).toHaveLength(1);
    expect(await listMembers(a.tenant.id)).toHaveLength(1);
    await expect(renameTenant("no-such-tenant", "Nope")).rejects.toThrow(NotFoundError);
  });
});

describe("API keys", () => {
  it("a key resolves to its tenant, and a revoked key gets 401", async () => {
    const a = await newTenant("Keys");
    const { key, record } = await createApiKey(a.tenant.id, "CI");
    expect(key.startsWith(record.prefix)).toBe(true);

    const ok = await callMe(key);
    expect(ok.status).toBe(200);
    expect((await ok.json()).tenant.id).toBe(a.tenant.id);
    const [listed] = await listApiKeys(a.tenant.id);
    expect(listed!.lastUsedAt).not.toBeNull();

    await revokeApiKey(a.tenant.id, record.id);
    const revoked = await callMe(key);
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error.code).toBe("unauthorized");
    expect((await callMe()).status).toBe(401);
    expect((await callMe(key.slice(0, -1) + (key.endsWith("a") ? "b" : "a"))).status).toBe(401);
  });
});

describe("invites", () => {
  it("an invite link creates a member once", async () => {
    const a = await newTenant("Inv");
    const email = `${uniqueId("member")}@example.test`;
    const { token } = await createInvite(a.tenant.id, email, "MEMBER");
    const member = await acceptInvite(token, { name: "New Member", password: "another good password" });
    expect(member.tenantId).toBe(a.tenant.id);
    expect(member.role).toBe("MEMBER");
    await expect(acceptInvite(token, { name: "Again", password: "another good password" })).rejects.toThrow(NotFoundError);
    expect((await listMembers(a.tenant.id)).map((m) => m.email).sort()).toEqual([a.user.email, email].sort());
  });
});

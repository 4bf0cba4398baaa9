// The platform admin's controls over what a self-service tenant may cost: signup defaults, destination
// countries and approval, each change audited and refused to anyone but a platform admin.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "../db";
import { ConflictError, NotFoundError } from "../errors";
import { signUp } from "../tenants/mutations";
import { createTenant, uniqueId } from "../test/factories";
import { listAudit } from "./audit";
import { approveTenant, changeTenantDestinations } from "./mutations";
import { tenantDestinationsSchema } from "./schema";

// The server actions read the session through next-auth; tests pick whose session it is.
const session = vi.hoisted(() => ({ current: null as { uid: string; sv: number } | null }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<typeof import("next-auth")>()), getServerSession: async () => session.current }));

const { approveTenantAction, updateTenantDestinationsAction } = await import("./actions");
const actor = { id: "admin-user", email: "ops@fairdial.test" };

afterEach(() => {
  session.current = null;
});

function newSignup(label: string) {
  return signUp({ organisation: `${label} ${uniqueId()}`, name: `${label} Owner`, email: `${uniqueId(label.toLowerCase())}@example.test`, password: `pw-${randomUUID()}` });
}

async function auditOf(tenantId: string) {
  return (await listAudit(500)).filter((r) => r.tenantId === tenantId);
}

describe("a tenant that signs itself up", () => {
  it("starts with the platform's default caps (10 calls in flight, 2 calls per second), not unlimited", async () => {
    const { tenant } = await newSignup("Defaults");
    const row = await db.tenant.findUniqueOrThrow({ where: { id: tenant.id } });
    expect(row).toMatchObject({ maxConcurrent: 10, maxCps: 2, allowedCountries: [], allowPremiumNumbers: false });
    // SIGNUP_MODE is open here: the tenant can dial at once.
    expect(row.approvedAt).toBeInstanceOf(Date);
  });
});

describe("destination countries", () => {
  it("an admin's change is stored and audited with before and after", async () => {
    const tenant = await createTenant();
    await changeTenantDestinations(actor, tenant.id, tenantDestinationsSchema.parse({ allowedCountries: "ca, gb", allowPremiumNumbers: "on" }));
    expect(await db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).toMatchObject({ allowedCountries: ["CA", "GB"], allowPremiumNumbers: true });
    const [row] = await auditOf(tenant.id);
    expect(row).toMatchObject({
      action: "tenant.destinations",
      actorEmail: "ops@fairdial.test",
      before: { allowedCountries: [], allowPremiumNumbers: false },
      after: { allowedCountries: ["CA", "GB"], allowPremiumNumbers: true },
    });
  });

  it("refuses codes that are not countries, naming them", () => {
    const result = tenantDestinationsSchema.safeParse({ allowedCountries: "US, XX, usa" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["allowedCountries"], message: expect.stringContaining("XX, USA") });
  });
});

describe("approval", () => {
  it("an admin's approval is stored and audited; approving again is refused and adds no row", async () => {
    const tenant = await createTenant({ approvedAt: null });
    await approveTenant(actor, tenant.id);
    const approved = await db.tenant.findUniqueOrThrow({ where: { id: tenant.id } });
    expect(approved.approvedAt).toBeInstanceOf(Date);
    await expect(approveTenant(actor, tenant.id)).rejects.toThrow(ConflictError);
    const rows = await auditOf(tenant.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "tenant.approve", before: { approvedAt: null }, after: { approvedAt: approved.approvedAt!.toISOString() } });
    await expect(approveTenant(actor, "no-such-tenant")).rejects.toThrow(NotFoundError);
  });
});

describe("only platform admins", () => {
  it("a tenant owner calling the approve and destinations actions is turned away; nothing changes, nothing is audited", async () => {
    const { tenant, user } = await newSignup("Sneaky");
    await db.tenant.update({ where: { id: tenant.id }, data: { approvedAt: null } });
    session.current = { uid: user.id, sv: user.sessionVersion };
    const form = new FormData();
    form.set("allowedCountries", "US, GB, FR, DE, CU");
    form.set("allowPremiumNumbers", "on");
    await expect(approveTenantAction(tenant.id)).rejects.toThrow("NEXT_REDIRECT");
    await expect(updateTenantDestinationsAction(tenant.id, form)).rejects.toThrow("NEXT_REDIRECT");
    session.current = null; // signed out
    await expect(approveTenantAction(tenant.id)).rejects.toThrow("NEXT_REDIRECT");
    expect(await db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).toMatchObject({ approvedAt: null, allowedCountries: [], allowPremiumNumbers: false });
    expect(await auditOf(tenant.id)).toHaveLength(0);
  });

  it("a platform admin's session passes the same check", async () => {
    const tenant = await createTenant({ approvedAt: null });
    const { user } = await newSignup("Operator");
    const admin = await db.user.update({ where: { id: user.id }, data: { isPlatformAdmin: true } });
    session.current = { uid: admin.id, sv: admin.sessionVersion };
    // Outside a Next request revalidatePath has nothing to revalidate; what matters is that the change went through.
    await approveTenantAction(tenant.id).catch((err: unknown) => {
      if (String(err).includes("NEXT_REDIRECT")) throw err;
    });
    expect((await db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).approvedAt).toBeInstanceOf(Date);
    expect((await auditOf(tenant.id))[0]).toMatchObject({ action: "tenant.approve", actorId: admin.id });
  });
});

// Data factories for integration tests: every test gets its own tenant and queue prefix.
import { randomUUID } from "node:crypto";
import { db } from "../db";
import { signUp } from "../tenants/mutations";

export function uniqueId(label = "t") {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

/** An approved tenant with no caps unless given: tests that need the signup defaults go through signUp. */
export async function createTenant(overrides: { name?: string; weight?: number; maxConcurrent?: number | null; maxCps?: number | null; approvedAt?: Date | null } = {}) {
  return db.tenant.create({
    data: { name: overrides.name ?? uniqueId("tenant"), weight: overrides.weight ?? 1, maxConcurrent: overrides.maxConcurrent ?? null, maxCps: overrides.maxCps ?? null, approvedAt: overrides.approvedAt === undefined ? new Date() : overrides.approvedAt },
  });
}

/** A tenant signed up the real way (owner, signup defaults), plus a member: for tests of who may do what. */
export async function workspace(label: string) {
  const { tenant, user: owner } = await signUp({ organisation: `${label} ${uniqueId()}`, name: `${label} Owner`, email: `${uniqueId("owner")}@example.test`, password: "correct horse battery" });
  const member = await db.user.create({ data: { tenantId: tenant.id, email: `${uniqueId("member")}@example.test`, name: `${label} Member`, passwordHash: "not-used-by-these-tests", role: "MEMBER" } });
  return { tenant, owner, member };
}

import { db } from "../db";
import { hashPassword } from "../auth/password";

/**
 * Creates (or promotes) a platform admin. A new admin gets its own "fairdial operations" tenant because
 * every user belongs to exactly one tenant.
 */
export async function upsertPlatformAdmin(email: string, password: string, name = "Platform admin") {
  const passwordHash = await hashPassword(password);
  const existing = await db.user.findUnique({ where: { email } });
  if (existing) {
    return db.user.update({ where: { id: existing.id }, data: { isPlatformAdmin: true, passwordHash, passwordChangedAt: new Date(), sessionVersion: { increment: 1 } } });
  }
  return db.$transaction(async (tx) => {
    // The operators' own workspace: trusted by definition, so approved and without the signup caps.
    const tenant = await tx.tenant.create({ data: { name: "fairdial operations", approvedAt: new Date() } });
    return tx.user.create({ data: { tenantId: tenant.id, email, name, passwordHash, role: "OWNER", isPlatformAdmin: true } });
  });
}

import { db } from "../db";
import { NotFoundError } from "../errors";
import { platformCallingHours } from "../campaigns/data";
import { hashInviteToken } from "./invite-token";

export function getTenant(tenantId: string) {
  return db.tenant.findUnique({ where: { id: tenantId } });
}

export function listMembers(tenantId: string) {
  return db.user.findMany({
    where: { tenantId },
    select: { id: true, email: true, name: true, role: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
}

export function listOpenInvites(tenantId: string) {
  return db.invite.findMany({
    where: { tenantId, acceptedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
    orderBy: { createdAt: "desc" },
  });
}

/**
 * The tenant's frequency caps with the platform's calling hours per country (the CallingRule table, read as the
 * scheduler reads it: a row whose intervals are all invalid means closed). The settings page and GET
 * /api/v1/settings/calling-rules show both, since together they decide when a number may be called.
 */
export async function getCallingRules(tenantId: string) {
  const [tenant, countryHours] = await Promise.all([db.tenant.findUnique({ where: { id: tenantId }, select: { callsPer24h: true, callsPer30d: true } }), platformCallingHours()]);
  if (!tenant) throw new NotFoundError("Tenant not found");
  return { callsPer24h: tenant.callsPer24h, callsPer30d: tenant.callsPer30d, countryHours };
}
export type CallingRules = Awaited<ReturnType<typeof getCallingRules>>;

/**
 * The signed-in user, fresh from the database: a removed member (no row) and a revoked session (the user's
 * sessionVersion moved past the token's) lose access at once. Without a version, only the row is checked.
 */
export async function getUserForSession(userId: string, sessionVersion?: number) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, isPlatformAdmin: true, tenantId: true, sessionVersion: true, tenant: { select: { name: true } } },
  });
  if (!user || (sessionVersion !== undefined && user.sessionVersion !== sessionVersion)) return null;
  return user;
}

export function findUserByEmailWithHash(email: string) {
  return db.user.findUnique({ where: { email }, omit: { passwordHash: false } });
}

export function findOpenInvite(token: string) {
  return db.invite.findFirst({
    where: { tokenHash: hashInviteToken(token), acceptedAt: null, expiresAt: { gt: new Date() } },
    include: { tenant: { select: { name: true } } },
  });
}

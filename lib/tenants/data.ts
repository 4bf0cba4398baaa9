import { db } from "../db";
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

/** The signed-in user, fresh from the database (a removed member loses access at once). */
export function getUserForSession(userId: string) {
  return db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, isPlatformAdmin: true, tenantId: true, tenant: { select: { name: true } } },
  });
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

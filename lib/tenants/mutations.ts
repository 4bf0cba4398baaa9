import { Prisma, type Role } from "@prisma/client";
import { db } from "../db";
import { ConflictError, FieldError, NotFoundError } from "../errors";
import { hashPassword } from "../auth/password";
import type { SignupInput } from "./schema";
import { findOpenInvite } from "./data";
import { newInviteToken } from "./invite-token";

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

/** A tenant and its owner are created together or not at all. */
export async function signUp(input: SignupInput) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const tenant = await tx.tenant.create({ data: { name: input.organisation } });
      const user = await tx.user.create({ data: { tenantId: tenant.id, email: input.email, name: input.name, passwordHash, role: "OWNER" } });
      return { tenant, user };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new FieldError({ email: ["An account with this email already exists. Sign in instead."] });
    throw err;
  }
}

export async function renameTenant(tenantId: string, name: string) {
  const { count } = await db.tenant.updateMany({ where: { id: tenantId }, data: { name } });
  if (count === 0) throw new NotFoundError("Tenant not found");
}

export async function createInvite(tenantId: string, email: string, role: Role) {
  const existing = await db.user.findUnique({ where: { email }, select: { tenantId: true } });
  if (existing) throw new FieldError({ email: [existing.tenantId === tenantId ? "Already a member" : "This email already has a fairdial account"] });
  const { token, tokenHash } = newInviteToken();
  const invite = await db.invite.create({
    data: { tenantId, email, role, tokenHash, expiresAt: new Date(Date.now() + INVITE_TTL_MS) },
  });
  return { invite, token };
}

export async function revokeInvite(tenantId: string, inviteId: string) {
  const { count } = await db.invite.deleteMany({ where: { id: inviteId, tenantId, acceptedAt: null } });
  if (count === 0) throw new NotFoundError("Invite not found");
}

export async function acceptInvite(token: string, input: { name: string; password: string }) {
  const invite = await findOpenInvite(token);
  if (!invite) throw new NotFoundError("This invite link is invalid or has expired");
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      // Claim the invite first so a link can be used once, even by two tabs at the same time.
      const claimed = await tx.invite.updateMany({ where: { id: invite.id, acceptedAt: null }, data: { acceptedAt: new Date() } });
      if (claimed.count === 0) throw new NotFoundError("This invite link has already been used");
      return tx.user.create({ data: { tenantId: invite.tenantId, email: invite.email, name: input.name, passwordHash, role: invite.role } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError("An account with this email already exists. Sign in instead.");
    throw err;
  }
}

export async function removeMember(tenantId: string, userId: string, actingUserId: string) {
  if (userId === actingUserId) throw new ConflictError("You cannot remove yourself");
  const member = await db.user.findFirst({ where: { id: userId, tenantId } });
  if (!member) throw new NotFoundError("Member not found");
  if (member.role === "OWNER") {
    const owners = await db.user.count({ where: { tenantId, role: "OWNER" } });
    if (owners <= 1) throw new ConflictError("A tenant needs at least one owner");
  }
  await db.user.delete({ where: { id: member.id } });
}

function isUniqueViolation(err: unknown) {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

import { Prisma, type Role } from "@prisma/client";
import { db } from "../db";
import { ConflictError, FieldError, NotFoundError } from "../errors";
import { hashPassword, verifyPassword } from "../auth/password";
import { log } from "../log";
import { frequencyCapsSchema, type FrequencyCapsInput, type SignupInput } from "./schema";
import { findOpenInvite } from "./data";
import { newInviteToken } from "./invite-token";
import { newTenantDefaults } from "./defaults";
import { FREQUENCY_CAP_HOLD } from "../rules/holds";

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
// Generic on purpose: neither says whether an account with the address exists.
export const SIGNUP_REFUSED = "We could not create an account with this email. If you already have one, sign in instead.";
export const INVITE_REFUSED = "This invite cannot be accepted. If you already have a fairdial account, sign in with it, or ask the workspace owner for help.";

/** A tenant and its owner are created together or not at all. */
export async function signUp(input: SignupInput) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const tenant = await tx.tenant.create({ data: { name: input.organisation, ...newTenantDefaults() } });
      const user = await tx.user.create({ data: { tenantId: tenant.id, email: input.email, name: input.name, passwordHash, role: "OWNER" } });
      return { tenant, user };
    });
  } catch (err) {
    // Without email verification a refusal here always hints that the address is taken; the wording does not
    // confirm it, and signups are limited per client address (lib/tenants/actions.ts) against bulk probing.
    if (isUniqueViolation(err)) throw new FieldError({ email: [SIGNUP_REFUSED] });
    throw err;
  }
}

export async function renameTenant(tenantId: string, name: string) {
  const { count } = await db.tenant.updateMany({ where: { id: tenantId }, data: { name } });
  if (count === 0) throw new NotFoundError("Tenant not found");
}

/**
 * Sets the tenant's frequency caps (null = off). The engine reads them before every dial, so a tighter cap holds
 * the next call over it. A looser one also frees the leads an old cap is holding (up to 30 days): they become
 * due now, and the caller checks the new caps before dialing them, holding again any still over.
 */
export async function setFrequencyCaps(tenantId: string, caps: FrequencyCapsInput) {
  const { per24h, per30d } = frequencyCapsSchema.parse(caps);
  const released = await db.$transaction(async (tx) => {
    // Locked, so two changes at once compare against the caps each replaces.
    const [before] = await tx.$queryRaw<{ callsPer24h: number | null; callsPer30d: number | null }[]>`
      SELECT "callsPer24h", "callsPer30d" FROM "Tenant" WHERE id = ${tenantId} FOR NO KEY UPDATE`;
    if (!before) throw new NotFoundError("Tenant not found");
    await tx.tenant.update({ where: { id: tenantId }, data: { callsPer24h: per24h, callsPer30d: per30d } });
    if (!loosens(before.callsPer24h, per24h) && !loosens(before.callsPer30d, per30d)) return 0;
    // Only the caller's frequency-cap holds (FREQUENCY_CAP_HOLD); other holds stay as they are.
    return tx.$executeRaw`
      UPDATE "Lead" SET "nextAttemptAt" = now()
      WHERE "tenantId" = ${tenantId} AND status = 'SCHEDULED' AND "holdReason" LIKE ${FREQUENCY_CAP_HOLD + "%"} AND "nextAttemptAt" > now()`;
  });
  log.info({ tenantId, callsPer24h: per24h, callsPer30d: per30d, released }, "frequency caps changed");
  return { per24h, per30d };
}

/**
 * An owner may learn who is in their own workspace, but not whether an address has an account elsewhere: for
 * such an address the invite is created like any other, and accepting it fails with a generic message.
 */
export async function createInvite(tenantId: string, email: string, role: Role) {
  const member = await db.user.findFirst({ where: { email, tenantId }, select: { id: true } });
  if (member) throw new FieldError({ email: ["Already a member"] });
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
    if (isUniqueViolation(err)) throw new ConflictError(INVITE_REFUSED);
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
  // Deleting the row ends the member's sessions at once: their token's user id no longer resolves, and a later
  // account for the same address gets a new id (no session version to bump).
  await db.user.delete({ where: { id: member.id } });
}

/**
 * A new password signs out every session of the user, this browser's too: whoever changed it may be evicting
 * someone who had the old one. The current password is required, so a borrowed session cannot lock the owner out.
 */
export async function changePassword(userId: string, currentPassword: string, newPassword: string) {
  const user = await db.user.findUnique({ where: { id: userId }, omit: { passwordHash: false } });
  if (!user) throw new NotFoundError("User not found");
  if (!(await verifyPassword(currentPassword, user.passwordHash))) throw new FieldError({ currentPassword: ["That is not your current password"] });
  const passwordHash = await hashPassword(newPassword);
  await db.user.update({ where: { id: userId }, data: { passwordHash, passwordChangedAt: new Date(), sessionVersion: { increment: 1 } } });
}

/** "Sign out everywhere": every token issued so far stops being accepted (lib/auth/session.ts). */
export async function revokeSessions(userId: string) {
  const { count } = await db.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  if (count === 0) throw new NotFoundError("User not found");
}

function loosens(before: number | null, after: number | null) {
  return before !== null && (after === null || after > before);
}

function isUniqueViolation(err: unknown) {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

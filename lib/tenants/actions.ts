"use server";
import { revalidatePath } from "next/cache";
import { requestClientIp } from "../api/request";
import { retryAfterText } from "../auth/limit-messages";
import { serverAcceptInviteSchema, serverChangePasswordSchema, serverSignupSchema } from "../auth/password-policy";
import { requireOwner, requireUser } from "../auth/session";
import { formObject, toActionResult, type ActionResult } from "../actions/result";
import { ConflictError } from "../errors";
import { consumeLimits, type LimitName } from "../rate-limit";
import { hashInviteToken } from "./invite-token";
import { frequencyCapsSchema, inviteSchema, renameTenantSchema, type FrequencyCapsInput } from "./schema";
import { acceptInvite, changePassword, createInvite, removeMember, renameTenant, revokeInvite, revokeSessions, setFrequencyCaps, signUp } from "./mutations";

// Limits are charged after validation (a typo costs nothing) and before any password is hashed or checked.
export async function signUpAction(form: FormData): Promise<ActionResult<{ tenantId: string }>> {
  return toActionResult(async () => {
    const input = serverSignupSchema.parse(formObject(form));
    await enforceLimits("Too many new accounts from your network.", ["signupIp", await requestClientIp()]);
    const { tenant } = await signUp(input);
    return { tenantId: tenant.id };
  });
}

export async function renameTenantAction(tenantId: string, form: FormData): Promise<ActionResult> {
  await requireOwner(tenantId);
  return toActionResult(async () => {
    await renameTenant(tenantId, renameTenantSchema.parse(formObject(form)).name);
    revalidatePath(`/t/${tenantId}`, "layout");
    return undefined;
  });
}

/** Owners only, like API keys (which may change the caps through the REST API). */
export async function setFrequencyCapsAction(tenantId: string, form: FormData): Promise<ActionResult<FrequencyCapsInput>> {
  await requireOwner(tenantId);
  return toActionResult(async () => {
    const caps = await setFrequencyCaps(tenantId, frequencyCapsSchema.parse(formObject(form)));
    revalidatePath(`/t/${tenantId}/settings/calling-rules`);
    return caps;
  });
}

export async function inviteMemberAction(tenantId: string, form: FormData): Promise<ActionResult<{ token: string }>> {
  await requireOwner(tenantId);
  return toActionResult(async () => {
    const input = inviteSchema.parse(formObject(form));
    const { token } = await createInvite(tenantId, input.email, input.role);
    revalidatePath(`/t/${tenantId}/settings`);
    return { token };
  });
}

export async function revokeInviteAction(tenantId: string, inviteId: string): Promise<ActionResult> {
  await requireOwner(tenantId);
  return toActionResult(async () => {
    await revokeInvite(tenantId, inviteId);
    revalidatePath(`/t/${tenantId}/settings`);
    return undefined;
  });
}

export async function removeMemberAction(tenantId: string, userId: string): Promise<ActionResult> {
  const owner = await requireOwner(tenantId);
  return toActionResult(async () => {
    await removeMember(tenantId, userId, owner.id);
    revalidatePath(`/t/${tenantId}/settings`);
    return undefined;
  });
}

export async function acceptInviteAction(token: string, form: FormData): Promise<ActionResult<{ email: string }>> {
  return toActionResult(async () => {
    const input = serverAcceptInviteSchema.parse(formObject(form));
    await enforceLimits("Too many attempts to accept invites.", ["inviteIp", await requestClientIp()], ["inviteToken", hashInviteToken(String(token))]);
    const user = await acceptInvite(token, input);
    return { email: user.email };
  });
}

/** Changes the signed-in user's password; every session ends, so the browser then signs in again. */
export async function changePasswordAction(form: FormData): Promise<ActionResult> {
  const user = await requireUser();
  return toActionResult(async () => {
    const input = serverChangePasswordSchema.parse(formObject(form));
    await enforceLimits("Too many password changes.", ["passwordUser", user.id], ["passwordIp", await requestClientIp()]);
    await changePassword(user.id, input.currentPassword, input.newPassword);
    return undefined;
  });
}

export async function signOutEverywhereAction(): Promise<ActionResult> {
  const user = await requireUser();
  return toActionResult(async () => {
    await revokeSessions(user.id);
    return undefined;
  });
}

async function enforceLimits(what: string, ...checks: [LimitName, string][]) {
  const limit = await consumeLimits(...checks);
  if (!limit.ok) throw new ConflictError(`${what} ${retryAfterText(limit.retryAfterSec)}`, "rate_limited");
}


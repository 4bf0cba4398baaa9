"use server";
import { revalidatePath } from "next/cache";
import { requireOwner } from "../auth/session";
import { formObject, toActionResult, type ActionResult } from "../actions/result";
import { acceptInviteSchema, inviteSchema, renameTenantSchema, signupSchema } from "./schema";
import { acceptInvite, createInvite, removeMember, renameTenant, revokeInvite, signUp } from "./mutations";

export async function signUpAction(form: FormData): Promise<ActionResult<{ tenantId: string }>> {
  return toActionResult(async () => {
    const { tenant } = await signUp(signupSchema.parse(formObject(form)));
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
    const user = await acceptInvite(token, acceptInviteSchema.parse(formObject(form)));
    return { email: user.email };
  });
}


"use server";
import { revalidatePath } from "next/cache";
import { requireOwner } from "../auth/session";
import { formObject, toActionResult, type ActionResult } from "../actions/result";
import { createApiKeySchema } from "./schema";
import { createApiKey, revokeApiKey } from "./mutations";

export async function createApiKeyAction(tenantId: string, form: FormData): Promise<ActionResult<{ key: string; prefix: string }>> {
  await requireOwner(tenantId);
  return toActionResult(async () => {
    const { key, record } = await createApiKey(tenantId, createApiKeySchema.parse(formObject(form)).name);
    revalidatePath(`/t/${tenantId}/settings`);
    return { key, prefix: record.prefix };
  });
}

export async function revokeApiKeyAction(tenantId: string, keyId: string): Promise<ActionResult> {
  await requireOwner(tenantId);
  return toActionResult(async () => {
    await revokeApiKey(tenantId, keyId);
    revalidatePath(`/t/${tenantId}/settings`);
    return undefined;
  });
}

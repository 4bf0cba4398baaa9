"use server";
import type { CountryCode } from "libphonenumber-js/max";
import { revalidatePath } from "next/cache";
import { requireMember, requireOwner } from "../auth/session";
import { formObject, toActionResult, type ActionResult } from "../actions/result";
import { FieldError } from "../errors";
import { addSuppressions, removeSuppression } from "./mutations";
import { suppressionFormSchema, type SuppressionResult } from "./schema";

// Any member may add a number (keeping someone from being called is never the risky direction); taking one off
// the list is for owners, as API keys are.

export async function addSuppressionAction(tenantId: string, form: FormData): Promise<ActionResult<SuppressionResult>> {
  await requireMember(tenantId);
  return toActionResult(async () => {
    const { defaultCountry, ...entry } = suppressionFormSchema.parse(formObject(form));
    const result = await addSuppressions({ tenantId }, [entry], "MANUAL", { defaultCountry: defaultCountry as CountryCode });
    if (result.rejected.length > 0) throw new FieldError({ phone: [`Not a valid phone number: ${result.rejected[0]!.reason}`] });
    revalidatePath(pagePath(tenantId));
    return result;
  });
}

export async function removeSuppressionAction(tenantId: string, phone: string): Promise<ActionResult> {
  await requireOwner(tenantId);
  return toActionResult(async () => {
    await removeSuppression({ tenantId }, String(phone));
    revalidatePath(pagePath(tenantId));
    return undefined;
  });
}

function pagePath(tenantId: string) {
  return `/t/${tenantId}/settings/do-not-call`;
}

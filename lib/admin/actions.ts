"use server";
import type { CountryCode } from "libphonenumber-js/max";
import { revalidatePath } from "next/cache";
import { requirePlatformAdmin } from "../auth/session";
import { formObject, toActionResult, type ActionResult } from "../actions/result";
import { wakeScheduler } from "../dispatch/wake";
import { FieldError, NotFoundError } from "../errors";
import { PRESETS } from "../rules/presets";
import { suppressionFormSchema, type SuppressionResult } from "../suppressions/schema";
import { tenantLimitsSchema } from "../tenants/schema";
import {
  addPlatformSuppressions,
  approveTenant,
  changeTenantDestinations,
  changeTenantLane,
  changeTenantLimits,
  changeTenantPaused,
  deleteCallingRule,
  removePlatformSuppression,
  setCallingRule,
} from "./mutations";
import { removeJob, retryJob } from "./queues";
import { callingRuleSchema, tenantDestinationsSchema } from "./schema";

export async function updateTenantLimitsAction(tenantId: string, form: FormData): Promise<ActionResult> {
  const admin = await requirePlatformAdmin();
  return toActionResult(async () => {
    await changeTenantLimits(admin, tenantId, tenantLimitsSchema.parse(formObject(form)));
    await wakeScheduler({ tenantId });
    revalidatePath("/admin");
    return undefined;
  });
}

export async function setTenantPausedAction(tenantId: string, paused: boolean): Promise<ActionResult> {
  const admin = await requirePlatformAdmin();
  return toActionResult(async () => {
    await changeTenantPaused(admin, tenantId, paused);
    if (!paused) await wakeScheduler({ tenantId });
    revalidatePath("/admin");
    return undefined;
  });
}

export async function retryJobAction(queueName: string, jobId: string): Promise<ActionResult> {
  await requirePlatformAdmin();
  return toActionResult(async () => {
    await retryJob(queueName, jobId);
    revalidatePath("/admin/queues");
    return undefined;
  });
}

export async function removeJobAction(queueName: string, jobId: string): Promise<ActionResult> {
  await requirePlatformAdmin();
  return toActionResult(async () => {
    await removeJob(queueName, jobId);
    revalidatePath("/admin/queues");
    return undefined;
  });
}

export async function setTenantLaneAction(tenantId: string, dedicatedLane: boolean): Promise<ActionResult> {
  const admin = await requirePlatformAdmin();
  return toActionResult(async () => {
    await changeTenantLane(admin, tenantId, dedicatedLane);
    await wakeScheduler({ tenantId });
    revalidatePath("/admin");
    return undefined;
  });
}

export async function updateTenantDestinationsAction(tenantId: string, form: FormData): Promise<ActionResult> {
  const admin = await requirePlatformAdmin();
  return toActionResult(async () => {
    await changeTenantDestinations(admin, tenantId, tenantDestinationsSchema.parse(formObject(form)));
    revalidatePath("/admin");
    return undefined;
  });
}

export async function approveTenantAction(tenantId: string): Promise<ActionResult> {
  const admin = await requirePlatformAdmin();
  return toActionResult(async () => {
    await approveTenant(admin, tenantId);
    await wakeScheduler({ tenantId });
    revalidatePath("/admin");
    return undefined;
  });
}

export async function setCallingRuleAction(form: FormData): Promise<ActionResult> {
  const admin = await requirePlatformAdmin();
  return toActionResult(async () => {
    const rule = callingRuleSchema.parse(formObject(form));
    await setCallingRule(admin, rule.country, rule.intervals);
    revalidatePath("/admin/calling-hours");
    return undefined;
  });
}

export async function deleteCallingRuleAction(country: string): Promise<ActionResult> {
  const admin = await requirePlatformAdmin();
  return toActionResult(async () => {
    await deleteCallingRule(admin, String(country));
    revalidatePath("/admin/calling-hours");
    return undefined;
  });
}

/** Sets the preset's country to the preset's hours (its frequency caps are not part of a calling-hours rule). */
export async function applyCallingRulePresetAction(presetId: string): Promise<ActionResult<{ country: string }>> {
  const admin = await requirePlatformAdmin();
  return toActionResult(async () => {
    const preset = PRESETS.find((p) => p.id === presetId);
    if (!preset) throw new NotFoundError("Unknown preset");
    await setCallingRule(admin, preset.country, preset.intervals);
    revalidatePath("/admin/calling-hours");
    return { country: preset.country };
  });
}

export async function addPlatformSuppressionAction(form: FormData): Promise<ActionResult<SuppressionResult>> {
  const admin = await requirePlatformAdmin();
  return toActionResult(async () => {
    const { defaultCountry, ...entry } = suppressionFormSchema.parse(formObject(form));
    const result = await addPlatformSuppressions(admin, [entry], { defaultCountry: defaultCountry as CountryCode });
    if (result.rejected.length > 0) throw new FieldError({ phone: [`Not a valid phone number: ${result.rejected[0]!.reason}`] });
    revalidatePath("/admin/do-not-call");
    return result;
  });
}

export async function removePlatformSuppressionAction(phone: string): Promise<ActionResult> {
  const admin = await requirePlatformAdmin();
  return toActionResult(async () => {
    await removePlatformSuppression(admin, String(phone));
    revalidatePath("/admin/do-not-call");
    return undefined;
  });
}

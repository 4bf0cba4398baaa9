"use server";
import { revalidatePath } from "next/cache";
import { requirePlatformAdmin } from "../auth/session";
import { formObject, toActionResult, type ActionResult } from "../actions/result";
import { wakeScheduler } from "../dispatch/wake";
import { tenantLimitsSchema } from "../tenants/schema";
import { approveTenant, changeTenantDestinations, changeTenantLane, changeTenantLimits, changeTenantPaused } from "./mutations";
import { removeJob, retryJob } from "./queues";
import { tenantDestinationsSchema } from "./schema";

export async function updateTenantLimitsAction(tenantId: string, form: FormData): Promise<ActionResult> {
  const admin = await requirePlatformAdmin();
  return toActionResult(async () => {
    await changeTenantLimits(admin, tenantId, tenantLimitsSchema.parse(formObject(form)));
    await wakeScheduler();
    revalidatePath("/admin");
    return undefined;
  });
}

export async function setTenantPausedAction(tenantId: string, paused: boolean): Promise<ActionResult> {
  const admin = await requirePlatformAdmin();
  return toActionResult(async () => {
    await changeTenantPaused(admin, tenantId, paused);
    if (!paused) await wakeScheduler();
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
    await wakeScheduler();
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
    await wakeScheduler();
    revalidatePath("/admin");
    return undefined;
  });
}

"use server";
import type { CampaignStatus } from "@prisma/client";
import { revalidatePath } from "next/cache";
import { requireMember } from "../auth/session";
import { toActionResult, type ActionResult } from "../actions/result";
import { changeCampaignStatus, updateCampaignSchedule } from "./mutations";
import { forgetProgress } from "./progress";
import { OPEN_SCHEDULE, scheduleFormSchema, type ScheduleFormFields } from "./schedule-form";
import { campaignActionSchema } from "./schema";

/** Start, pause, resume or cancel; any member of the tenant may. */
export async function changeCampaignStatusAction(tenantId: string, campaignId: string, action: string): Promise<ActionResult<{ status: CampaignStatus }>> {
  await requireMember(tenantId, `/t/${tenantId}/campaigns/${campaignId}`);
  return toActionResult(async () => {
    const updated = await changeCampaignStatus(tenantId, campaignId, campaignActionSchema.parse(action));
    forgetProgress(tenantId, campaignId);
    revalidatePath(`/t/${tenantId}/campaigns/${campaignId}`);
    revalidatePath(`/t/${tenantId}`);
    return { status: updated.status };
  });
}

/** The campaign page's schedule form; field errors come back under the form's field names. Any member may. */
export async function updateCampaignScheduleAction(tenantId: string, campaignId: string, fields: ScheduleFormFields): Promise<ActionResult> {
  await requireMember(tenantId, `/t/${tenantId}/campaigns/${campaignId}`);
  return toActionResult(async () => {
    const { timezone, schedule } = scheduleFormSchema.parse(fields);
    await updateCampaignSchedule(tenantId, campaignId, { timezone, schedule: schedule ?? OPEN_SCHEDULE });
    forgetProgress(tenantId, campaignId);
    revalidatePath(`/t/${tenantId}/campaigns/${campaignId}`);
    return undefined;
  });
}

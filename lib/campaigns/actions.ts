"use server";
import type { CampaignStatus } from "@prisma/client";
import { revalidatePath } from "next/cache";
import { requireMember } from "../auth/session";
import { toActionResult, type ActionResult } from "../actions/result";
import { ConflictError } from "../errors";
import { ImportError } from "../imports/schema";
import { archiveCampaign, unarchiveCampaign } from "./archive";
import { duplicateCampaign } from "./duplicate";
import { changeCampaignStatus, updateCampaignSchedule } from "./mutations";
import { forgetProgress } from "./progress";
import { OPEN_SCHEDULE, scheduleFormSchema, type ScheduleFormFields } from "./schedule-form";
import { campaignActionSchema, duplicateCampaignSchema } from "./schema";

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

/** The campaign page's duplicate form: a new draft, which the page opens next. Any member may. */
export async function duplicateCampaignAction(tenantId: string, campaignId: string, fields: { leads: string; name: string }): Promise<ActionResult<{ campaignId: string }>> {
  await requireMember(tenantId, `/t/${tenantId}/campaigns/${campaignId}`);
  return toActionResult(async () => {
    const input = duplicateCampaignSchema.parse({ leads: fields.leads, name: fields.name.trim() === "" ? undefined : fields.name });
    const copy = await duplicateCampaign(tenantId, campaignId, input).catch((err: unknown) => {
      // The copy takes an import slot; "too many imports" is a state of the account the form can show.
      if (err instanceof ImportError) throw new ConflictError(`${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.`, err.code);
      throw err;
    });
    revalidatePath(`/t/${tenantId}`);
    return { campaignId: copy.id };
  });
}

/** Archive or unarchive; any member may. */
export async function setCampaignArchivedAction(tenantId: string, campaignId: string, archived: boolean): Promise<ActionResult<{ archived: boolean }>> {
  await requireMember(tenantId, `/t/${tenantId}/campaigns/${campaignId}`);
  return toActionResult(async () => {
    const campaign = archived ? await archiveCampaign(tenantId, campaignId) : await unarchiveCampaign(tenantId, campaignId);
    forgetProgress(tenantId, campaignId);
    revalidatePath(`/t/${tenantId}/campaigns/${campaignId}`);
    revalidatePath(`/t/${tenantId}`);
    return { archived: campaign.archivedAt !== null };
  });
}

"use server";
import type { CampaignStatus } from "@prisma/client";
import { revalidatePath } from "next/cache";
import { requireMember } from "../auth/session";
import { toActionResult, type ActionResult } from "../actions/result";
import { changeCampaignStatus } from "./mutations";
import { forgetProgress } from "./progress";
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

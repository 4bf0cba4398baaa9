import type { CampaignStatus } from "@prisma/client";
import { db } from "../db";
import { NotFoundError } from "../errors";
import { wakeScheduler } from "../dispatch/wake";
import { nextStatus, type CampaignAction } from "./lifecycle";

/**
 * Applies a lifecycle action. The status change is a compare-and-set on the status read, so two clicks
 * racing cannot both succeed; pendingCount is recounted on start/resume to heal any drift.
 */
export async function changeCampaignStatus(tenantId: string, campaignId: string, action: CampaignAction) {
  const updated = await db.$transaction(async (tx) => {
    const campaign = await tx.campaign.findFirst({ where: { id: campaignId, tenantId }, select: { status: true } });
    if (!campaign) throw new NotFoundError("Campaign not found");
    const to = nextStatus(campaign.status, action);
    const now = new Date();
    const data: { status: CampaignStatus; startedAt?: Date; pendingCount?: number } = { status: to };
    if (action === "start") data.startedAt = now;
    if (action === "start" || action === "resume") {
      data.pendingCount = await tx.lead.count({ where: { campaignId, status: "PENDING" } });
    }
    if (action === "cancel") {
      // Leads not yet handed to a caller are cancelled now; queued ones are cancelled by the caller that picks
      // them up, and calls in progress finish.
      await tx.lead.updateMany({ where: { campaignId, status: { in: ["PENDING", "SCHEDULED"] } }, data: { status: "CANCELLED", nextAttemptAt: null } });
      data.pendingCount = 0;
    }
    const { count } = await tx.campaign.updateMany({ where: { id: campaignId, tenantId, status: campaign.status }, data });
    if (count === 0) throw new NotFoundError("Campaign changed meanwhile; reload and try again");
    return tx.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  }, { timeout: 120_000 });
  if (updated.status === "RUNNING") await wakeScheduler();
  return updated;
}

export async function deleteDraftCampaign(tenantId: string, campaignId: string) {
  const { count } = await db.campaign.deleteMany({ where: { id: campaignId, tenantId, status: { in: ["DRAFT", "CANCELLED"] } } });
  if (count === 0) throw new NotFoundError("Campaign not found");
}

import type { CampaignStatus } from "@prisma/client";
import { db } from "../db";
import { NotFoundError } from "../errors";
import { log } from "../log";
import { withdrawQueued } from "../dispatch/withdraw";
import { wakeScheduler } from "../dispatch/wake";
import { redis } from "../redis";
import { nextStatus, type CampaignAction } from "./lifecycle";

/**
 * Applies a lifecycle action. The status change is a compare-and-set on the status read, so two clicks
 * racing cannot both succeed; pendingCount is recounted on start/resume to heal any drift. Pause and cancel
 * then take back the campaign's calls still waiting in the queue. `engine.queuePrefix` names the engine
 * to talk to (default QUEUE_PREFIX; tests run engines under their own).
 */
export async function changeCampaignStatus(tenantId: string, campaignId: string, action: CampaignAction, engine: { queuePrefix?: string } = {}) {
  const updated = await db.$transaction(async (tx) => {
    if (action === "start" || action === "resume") {
      // The engine moves leads to and from PENDING and adjusts the counter in the same statement, under this
      // row's lock. Locking it first and counting in a later statement (READ COMMITTED: a fresh snapshot)
      // means every such change is either in the count or applied after our write, never lost or doubled.
      // NO KEY UPDATE, like the counter updates themselves: attempt inserts (key-share) are not held up.
      // Cancel does not lock first: it updates leads, and the engine locks leads before the campaign.
      await tx.$queryRaw`SELECT 1 FROM "Campaign" WHERE id = ${campaignId} AND "tenantId" = ${tenantId} FOR NO KEY UPDATE`;
    }
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
      // Leads not yet handed to a caller are cancelled now; queued ones are withdrawn below, and calls in
      // progress finish.
      await tx.lead.updateMany({ where: { campaignId, status: { in: ["PENDING", "SCHEDULED"] } }, data: { status: "CANCELLED", nextAttemptAt: null } });
      data.pendingCount = 0;
    }
    const { count } = await tx.campaign.updateMany({ where: { id: campaignId, tenantId, status: campaign.status }, data });
    if (count === 0) throw new NotFoundError("Campaign changed meanwhile; reload and try again");
    return tx.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  }, { timeout: 120_000 });
  if (action === "pause" || action === "cancel") {
    // The change is committed; taking the waiting calls back is an optimisation the callers back up (they
    // re-check the campaign before dialing), so a failure here is logged, not reported as a failed pause.
    await stopWaitingCalls(campaignId, action, engine.queuePrefix).catch((err: unknown) =>
      log.warn({ err, tenantId, campaignId }, "could not withdraw the campaign's queued calls; callers will release them"),
    );
  }
  if (updated.status === "RUNNING") await wakeScheduler(redis(), engine.queuePrefix);
  return updated;
}

export async function deleteDraftCampaign(tenantId: string, campaignId: string) {
  const { count } = await db.campaign.deleteMany({ where: { id: campaignId, tenantId, status: { in: ["DRAFT", "CANCELLED"] } } });
  if (count === 0) throw new NotFoundError("Campaign not found");
}

async function stopWaitingCalls(campaignId: string, action: "pause" | "cancel", queuePrefix: string | undefined) {
  await withdrawQueued({ campaignId }, { prefix: queuePrefix });
  if (action === "cancel") {
    // A release that read the campaign as running just before the cancel committed made its lead pending
    // again; releases see the committed status from now on and cancel instead, so one more sweep is final.
    await db.lead.updateMany({ where: { campaignId, status: { in: ["PENDING", "SCHEDULED"] } }, data: { status: "CANCELLED", nextAttemptAt: null } });
  }
}

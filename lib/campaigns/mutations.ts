import type { CampaignStatus, Prisma } from "@prisma/client";
import { db } from "../db";
import { ConflictError, NotFoundError } from "../errors";
import { canonicalTimeZone } from "../imports/timezone";
import { log } from "../log";
import { withdrawQueued } from "../dispatch/withdraw";
import { wakeScheduler } from "../dispatch/wake";
import { CAMPAIGN_EVENT_OF_ACTION, emitCampaignEvent } from "../webhooks/outbox";
import { nextStatus, type CampaignAction } from "./lifecycle";
import { updateCampaignScheduleSchema, type UpdateCampaignScheduleInput } from "./schema";

/**
 * Applies a lifecycle action. The status change is a compare-and-set on the status read, so two clicks
 * racing cannot both succeed; pendingCount is recounted on start/resume to heal any drift. Pause and cancel
 * then take back the campaign's calls still waiting in the queue. The webhook event commits with the change. `engine.queuePrefix` names the engine
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
    const campaign = await tx.campaign.findFirst({ where: { id: campaignId, tenantId }, select: { status: true, archivedAt: true } });
    if (!campaign) throw new NotFoundError("Campaign not found");
    const to = nextStatus(campaign.status, action, { archived: campaign.archivedAt !== null });
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
    // Archiving compares and sets the status too (lib/campaigns/archive.ts): of a start and an archive racing, one fails.
    const { count } = await tx.campaign.updateMany({ where: { id: campaignId, tenantId, status: campaign.status, archivedAt: campaign.archivedAt }, data });
    if (count === 0) throw new NotFoundError("Campaign changed meanwhile; reload and try again");
    await emitCampaignEvent(tx, CAMPAIGN_EVENT_OF_ACTION[action], campaignId);
    return tx.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  }, { timeout: 120_000 });
  if (action === "pause" || action === "cancel") {
    // The change is committed; taking the waiting calls back is an optimisation the callers back up (they
    // re-check the campaign before dialing), so a failure here is logged, not reported as a failed pause.
    await stopWaitingCalls(campaignId, action, engine.queuePrefix).catch((err: unknown) =>
      log.warn({ err, tenantId, campaignId }, "could not withdraw the campaign's queued calls; callers will release them"),
    );
  }
  if (updated.status === "RUNNING") await wakeScheduler({ prefix: engine.queuePrefix, tenantId });
  return updated;
}

const FINISHED: CampaignStatus[] = ["COMPLETED", "CANCELLED"];

/**
 * Replaces a campaign's calling schedule, and its time zone when one is given, in any status but completed or
 * cancelled. Leads that take their zone from the campaign (zoneSource CAMPAIGN) and may still be called move to
 * the new zone with it; finished leads keep the zone they were called in. A running campaign wakes the scheduler,
 * so a window the change opened dials at once instead of at the next tick.
 */
export async function updateCampaignSchedule(tenantId: string, campaignId: string, input: UpdateCampaignScheduleInput, engine: { queuePrefix?: string } = {}) {
  const { timezone, schedule } = updateCampaignScheduleSchema.parse(input);
  const zone = timezone === undefined ? undefined : (canonicalTimeZone(timezone) ?? timezone);
  const updated = await db.$transaction(async (tx) => {
    const campaign = await tx.campaign.findFirst({ where: { id: campaignId, tenantId }, select: { status: true, timezone: true } });
    if (!campaign) throw new NotFoundError("Campaign not found");
    if (FINISHED.includes(campaign.status)) throw finishedError(campaign.status);
    // Leads first, then the campaign row: the engine's order too (see changeCampaignStatus), so neither waits on the other in a cycle.
    if (zone !== undefined && zone !== campaign.timezone) await moveCampaignZonedLeads(tx, tenantId, campaignId, zone);
    // A compare-and-set on "not finished": the engine completing the campaign meanwhile wins, and this rolls back.
    const { count } = await tx.campaign.updateMany({
      where: { id: campaignId, tenantId, status: { notIn: FINISHED } },
      data: {
        ...(zone !== undefined ? { timezone: zone } : {}),
        scheduleDays: [...schedule.days].sort((a, b) => a - b),
        scheduleStart: schedule.start,
        scheduleEnd: schedule.end,
        startAt: schedule.startAt === null ? null : new Date(schedule.startAt),
        endAt: schedule.endAt === null ? null : new Date(schedule.endAt),
      },
    });
    if (count === 0) throw finishedError((await tx.campaign.findFirst({ where: { id: campaignId, tenantId }, select: { status: true } }))?.status ?? "COMPLETED");
    return tx.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  });
  log.info({ tenantId, campaignId, timezone: updated.timezone, days: updated.scheduleDays, start: updated.scheduleStart, end: updated.scheduleEnd }, "campaign schedule changed");
  if (updated.status === "RUNNING") await wakeScheduler({ prefix: engine.queuePrefix, tenantId });
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

/**
 * The campaign's zone is the zone of its leads that have no other (lib/rules/phone-zones.ts): those still to be
 * called get the new zone and its window key, and the scheduler learns the key (it reloads keys every second).
 * Keys no pending lead uses any more stay behind: they match no lead, and removing them would need a scan. Lead
 * `updatedAt` is left alone: it dates status changes, which the engine's stale-call checks read.
 */
async function moveCampaignZonedLeads(tx: Prisma.TransactionClient, tenantId: string, campaignId: string, zone: string) {
  await tx.$executeRaw`
    WITH moved AS (
      UPDATE "Lead" SET timezones = ARRAY[${zone}]::text[], "windowKey" = split_part("windowKey", '|', 1) || '|' || ${zone}
      WHERE "tenantId" = ${tenantId} AND "campaignId" = ${campaignId} AND "zoneSource" = 'CAMPAIGN' AND status IN ('PENDING', 'SCHEDULED', 'QUEUED', 'DIALING')
      RETURNING "windowKey"
    )
    INSERT INTO "CampaignWindowKey" ("campaignId", key, country, zones)
    SELECT DISTINCT ${campaignId}, "windowKey", split_part("windowKey", '|', 1), ARRAY[${zone}]::text[] FROM moved
    ON CONFLICT DO NOTHING`;
}

function finishedError(status: CampaignStatus) {
  return new ConflictError(`The schedule of a ${status.toLowerCase()} campaign cannot be changed.`, "campaign_finished");
}

// Archiving a campaign: it leaves the lists (dashboard, GET /api/v1/campaigns) unless they are asked for archived
// ones, and stays whole otherwise — its page opens by URL, its results and attempts export, its leads stay.
import { db } from "../db";
import { ConflictError, NotFoundError } from "../errors";
import { log } from "../log";
import { ARCHIVABLE_STATUSES, archiveRefusal } from "./lifecycle";

/**
 * Archives a campaign that is not running (see ARCHIVABLE_STATUSES); archiving an archived one changes nothing.
 * A compare-and-set on the status, as lifecycle changes are (lib/campaigns/mutations.ts), which in turn compare
 * archivedAt: of an archive and a start racing, exactly one succeeds, so an archived campaign is never running.
 */
export async function archiveCampaign(tenantId: string, campaignId: string) {
  const { count } = await db.campaign.updateMany({ where: { id: campaignId, tenantId, archivedAt: null, status: { in: ARCHIVABLE_STATUSES } }, data: { archivedAt: new Date() } });
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, tenantId } });
  if (!campaign) throw new NotFoundError("Campaign not found");
  if (count === 0 && campaign.archivedAt === null) throw new ConflictError(archiveRefusal(campaign.status) ?? "Campaign changed meanwhile; reload and try again", "campaign_running");
  if (count > 0) log.info({ tenantId, campaignId, status: campaign.status }, "campaign archived");
  return campaign;
}

/** Back in the lists, as it was (a paused campaign can be resumed again); unarchiving one that is not archived changes nothing. */
export async function unarchiveCampaign(tenantId: string, campaignId: string) {
  const { count } = await db.campaign.updateMany({ where: { id: campaignId, tenantId, archivedAt: { not: null } }, data: { archivedAt: null } });
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, tenantId } });
  if (!campaign) throw new NotFoundError("Campaign not found");
  if (count > 0) log.info({ tenantId, campaignId }, "campaign unarchived");
  return campaign;
}

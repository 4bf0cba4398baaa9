// Duplicating a campaign: a new draft with the same settings and copies of its leads (all, or the unfinished ones),
// written in one transaction, the leads copied set-based in Postgres: a campaign can have a million of them.
import type { PoolClient } from "pg";
import { env } from "../env";
import { ConflictError, NotFoundError } from "../errors";
import { markSuppressed, newCampaignId } from "../imports/import";
import { takeImportSlot } from "../imports/import-slots";
import { log } from "../log";
import { pgPool, withTransaction } from "../pg";
import { getCampaign } from "./data";
import { duplicateCampaignSchema, type DuplicateCampaignInput } from "./schema";

const COPY_SUFFIX = " (copy)";
const MAX_NAME = 120;

/**
 * A new DRAFT campaign with the source's settings — country, retry policy, TwiML URL, time zone, calling days and
 * hours, and the scheduled start and automatic stop while they are still ahead (one that has passed would stop the
 * copy as it starts) — and fresh copies of its leads: line, number, name, zones and variables, never called,
 * PENDING, then checked against today's do-not-call lists exactly as an import is (lib/imports/import.ts), so a
 * number listed since is suppressed and one taken off a list is called again. Rejected rows stay with the import
 * they came from. A lead that takes its zone from the campaign gets the campaign's zone of today.
 *
 * `unfinished` copies the leads that did not end COMPLETED (see DUPLICATE_LEADS); it is refused while a call of
 * the campaign may still be in progress, since the lead's outcome is not known yet and the copy could call it twice.
 * The copy counts as an import: it takes one of the tenant's import slots (IMPORT_MAX_CONCURRENT_PER_TENANT).
 */
export async function duplicateCampaign(tenantId: string, campaignId: string, input: DuplicateCampaignInput) {
  const { leads, name } = duplicateCampaignSchema.parse(input);
  const id = newCampaignId();
  const started = performance.now();
  const counts = await withTransaction(pgPool(), async (client) => {
    // Like an import, the copy of a big campaign runs longer than the web pool's statement_timeout allows.
    await client.query(`SELECT set_config('statement_timeout', $1, true)`, [String(env().IMPORT_DEADLINE_MS)]);
    await takeImportSlot(client, tenantId, env().IMPORT_MAX_CONCURRENT_PER_TENANT);
    const source = await sourceStatus(client, tenantId, campaignId);
    if (leads === "unfinished") await refuseCallsInProgress(client, campaignId, source);
    await copyCampaignRow(client, tenantId, campaignId, id, name);
    const copied = await copyLeads(client, tenantId, campaignId, id, leads === "unfinished");
    await client.query(`UPDATE "Campaign" SET "totalLeads" = $2, "suppressedCount" = $3, "pendingCount" = $4 WHERE id = $1`, [id, copied.total, copied.suppressed, copied.total - copied.suppressed]);
    return copied;
  });
  log.info({ tenantId, campaignId: id, sourceCampaignId: campaignId, leads, ...counts, ms: Math.round(performance.now() - started) }, "campaign duplicated");
  return getCampaign(tenantId, id);
}

async function sourceStatus(client: PoolClient, tenantId: string, campaignId: string): Promise<string> {
  const { rows } = await client.query<{ status: string }>(`SELECT status FROM "Campaign" WHERE id = $1 AND "tenantId" = $2`, [campaignId, tenantId]);
  if (!rows[0]) throw new NotFoundError("Campaign not found");
  return rows[0].status;
}

/** A paused campaign's calls in progress finish; a queued one goes back to pending (lib/dispatch/withdraw.ts). */
async function refuseCallsInProgress(client: PoolClient, campaignId: string, status: string) {
  if (status === "RUNNING") throw new ConflictError("Pause the campaign (or let it complete) before duplicating its unfinished leads: calls are still going out.", "campaign_running");
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Lead" WHERE "campaignId" = $1 AND status IN ('QUEUED', 'DIALING')`, [campaignId]);
  if (rows[0]!.n > 0) throw new ConflictError(`${rows[0]!.n} ${rows[0]!.n === 1 ? "call" : "calls"} of this campaign ${rows[0]!.n === 1 ? "is" : "are"} still in progress; duplicate its unfinished leads once ${rows[0]!.n === 1 ? "it has" : "they have"} ended.`, "calls_in_progress");
}

async function copyCampaignRow(client: PoolClient, tenantId: string, campaignId: string, id: string, name: string | undefined) {
  await client.query(
    `INSERT INTO "Campaign" (id, "tenantId", name, status, "defaultCountry", "maxAttempts", "retryDelaySec", "retryOutcomes", "twimlUrl",
                             timezone, "scheduleDays", "scheduleStart", "scheduleEnd", "startAt", "endAt")
     SELECT $1, "tenantId", coalesce($4::text, left(name, ${MAX_NAME - COPY_SUFFIX.length}) || '${COPY_SUFFIX}'), 'DRAFT', "defaultCountry", "maxAttempts", "retryDelaySec", "retryOutcomes", "twimlUrl",
            timezone, "scheduleDays", "scheduleStart", "scheduleEnd",
            CASE WHEN "startAt" > now() AT TIME ZONE 'UTC' THEN "startAt" END, CASE WHEN "endAt" > now() AT TIME ZONE 'UTC' THEN "endAt" END
     FROM "Campaign" WHERE id = $2 AND "tenantId" = $3`,
    [id, campaignId, tenantId, name ?? null],
  );
}

/**
 * One INSERT … SELECT in lead order (so the copy lists in file order, as lead ids do), writing the window keys of
 * the copies in the same statement; then the do-not-call check of the import. Every copy starts as a lead never
 * called: attempts, outcomes, hold and suppression reasons are the source's history, not the copy's.
 */
async function copyLeads(client: PoolClient, tenantId: string, sourceId: string, id: string, unfinishedOnly: boolean) {
  const { rows } = await client.query<{ total: number }>(
    `WITH copied AS (
       INSERT INTO "Lead" ("tenantId", "campaignId", line, phone, name, timezone, timezones, "zoneSource", "windowKey", variables)
       SELECT l."tenantId", $3, l.line, l.phone, l.name, l.timezone,
              CASE WHEN l."zoneSource" = 'CAMPAIGN' THEN ARRAY[c.timezone] ELSE l.timezones END,
              l."zoneSource",
              CASE WHEN l."zoneSource" = 'CAMPAIGN' THEN split_part(l."windowKey", '|', 1) || '|' || c.timezone ELSE l."windowKey" END,
              l.variables
       FROM "Lead" l JOIN "Campaign" c ON c.id = $3
       WHERE l."tenantId" = $1 AND l."campaignId" = $2 AND ($4::boolean IS FALSE OR l.status <> 'COMPLETED')
       ORDER BY l.id
       RETURNING "windowKey", timezones
     ), keys AS (
       INSERT INTO "CampaignWindowKey" ("campaignId", key, country, zones)
       SELECT DISTINCT ON ("windowKey") $3, "windowKey", split_part("windowKey", '|', 1), timezones FROM copied
     )
     SELECT count(*)::int AS total FROM copied`,
    [tenantId, sourceId, id, unfinishedOnly],
  );
  const suppressed = await markSuppressed(client, tenantId, id);
  return { total: rows[0]!.total, suppressed };
}

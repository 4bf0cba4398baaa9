// The outbox: SQL that writes webhook events inside the statement (or transaction) that makes the state change,
// so an event exists exactly when its change committed, whatever happens to Redis or to the process afterwards.
// An event is only written while its tenant has an enabled endpoint subscribed to its type: tenants without
// webhooks pay one index probe per change, nothing more.
import type { Prisma } from "@prisma/client";
import { ALL_EVENTS, type WebhookEventType } from "./events";

/** A UTC `timestamp` column as the ISO 8601 string the payload schemas promise (null stays null). */
export function isoSql(expr: string) {
  return `to_char(${expr}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * An INSERT of events for the rows of `rows`, a query with the columns tenant_id, type, campaign_id, lead_id, data
 * and ord. Events get their sequence numbers in `ord` order (a lead's call.answered before its call.completed), and
 * only tenants subscribed to the row's type get one. Usable as a CTE (`ev AS (…)`) or as a statement.
 */
export function outboxInsertSql(rows: string) {
  return `INSERT INTO "WebhookEvent" (id, "tenantId", type, "campaignId", "leadId", data)
    SELECT 'evt_' || replace(gen_random_uuid()::text, '-', ''), r.tenant_id, r.type, r.campaign_id, r.lead_id, r.data
    FROM (${rows}) r
    WHERE EXISTS (SELECT 1 FROM "WebhookEndpoint" e WHERE e."tenantId" = r.tenant_id AND e.enabled AND e.events && ARRAY[r.type, '${ALL_EVENTS}'])
    ORDER BY r.ord`;
}

/** The `campaign` object of campaign events, from a Campaign row aliased `alias`. */
export function campaignDataSql(alias: string) {
  return `jsonb_build_object('campaign', jsonb_build_object('id', ${alias}.id, 'name', ${alias}.name, 'status', ${alias}.status,
    'totalLeads', ${alias}."totalLeads", 'startedAt', ${isoSql(`${alias}."startedAt"`)}, 'completedAt', ${isoSql(`${alias}."completedAt"`)}))`;
}

/** The fields every call event has, from a CallAttempt row `a` and the phone expression `phone`. */
export function callBaseSql(a: string, phone: string) {
  return `jsonb_build_object('attemptId', ${a}.id, 'campaignId', ${a}."campaignId", 'leadId', ${a}."leadId"::text, 'phone', ${phone}, 'attemptNumber', ${a}."attemptNumber")`;
}

/** The rows of lead.suppressed events, from Lead rows aliased `l` (the reason from `reason`). */
export function leadSuppressedRowsSql(from: string, l = "l", reason = `${l}."suppressedReason"`) {
  return `SELECT ${l}."tenantId" AS tenant_id, 'lead.suppressed'::text AS type, ${l}."campaignId" AS campaign_id, ${l}.id AS lead_id,
    jsonb_build_object('campaignId', ${l}."campaignId", 'leadId', ${l}.id::text, 'phone', ${l}.phone, 'reason', ${reason}) AS data, ${l}.id AS ord
    FROM ${from}`;
}

type CampaignEvent = Extract<WebhookEventType, `campaign.${string}`>;

/** Writes a campaign event for one campaign, inside the caller's transaction (Prisma). */
export async function emitCampaignEvent(tx: Prisma.TransactionClient, type: CampaignEvent, campaignId: string) {
  await tx.$executeRawUnsafe(
    outboxInsertSql(`SELECT c."tenantId" AS tenant_id, $1::text AS type, c.id AS campaign_id, NULL::bigint AS lead_id, ${campaignDataSql("c")} AS data, 0 AS ord
      FROM "Campaign" c WHERE c.id = $2`),
    type,
    campaignId,
  );
}

export const CAMPAIGN_EVENT_OF_ACTION = {
  start: "campaign.started",
  pause: "campaign.paused",
  resume: "campaign.resumed",
  cancel: "campaign.cancelled",
} as const satisfies Record<string, CampaignEvent>;

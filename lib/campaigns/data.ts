import type { LeadStatus, Prisma } from "@prisma/client";
import { db } from "../db";
import { NotFoundError } from "../errors";
import { attemptSummaries } from "../attempts/lead-summary";
import { csvRow, neutraliseCell, safeCsvLine } from "../imports/csv-safe";
import { countryRules } from "../rules/presets";
import { LEAD_STATUSES, type LeadsQuery, type LeadStatusName } from "./schema";

export type StatusCounts = Record<LeadStatusName, number>;

/** Newest first; archived campaigns only when asked for, and then only they. */
export function listCampaigns(tenantId: string, { archived = false }: { archived?: boolean } = {}) {
  return db.campaign.findMany({ where: { tenantId, archivedAt: archived ? { not: null } : null }, orderBy: { createdAt: "desc" }, take: 200 });
}

export function countArchivedCampaigns(tenantId: string) {
  return db.campaign.count({ where: { tenantId, archivedAt: { not: null } } });
}

export async function getCampaign(tenantId: string, campaignId: string) {
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, tenantId } });
  if (!campaign) throw new NotFoundError("Campaign not found");
  return campaign;
}

/** Lead counts per status; an index-only scan on (campaignId, status, id). */
export async function statusCounts(tenantId: string, campaignId: string): Promise<StatusCounts> {
  const rows = await db.lead.groupBy({ by: ["status"], where: { campaignId, tenantId }, _count: { _all: true } });
  const counts = Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const row of rows) counts[row.status] = row._count._all;
  return counts;
}

/** Counts for many campaigns at once (dashboard list). */
export async function statusCountsByCampaign(tenantId: string, campaignIds: string[]) {
  if (campaignIds.length === 0) return new Map<string, StatusCounts>();
  const rows = await db.lead.groupBy({ by: ["campaignId", "status"], where: { tenantId, campaignId: { in: campaignIds } }, _count: { _all: true } });
  const out = new Map<string, StatusCounts>();
  for (const id of campaignIds) out.set(id, Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0])) as StatusCounts);
  for (const row of rows) out.get(row.campaignId)![row.status] = row._count._all;
  return out;
}

const leadSelect = {
  id: true,
  line: true,
  phone: true,
  name: true,
  timezone: true,
  timezones: true,
  zoneSource: true,
  suppressedReason: true,
  holdReason: true,
  windowKey: true,
  variables: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  lastOutcome: true,
  lastDurationSec: true,
  updatedAt: true,
} satisfies Prisma.LeadSelect;

export type LeadRow = Prisma.LeadGetPayload<{ select: typeof leadSelect }>;

/** Keyset pagination by lead id: stable while statuses change underneath. */
export async function listLeads(tenantId: string, campaignId: string, query: LeadsQuery) {
  await getCampaign(tenantId, campaignId);
  const rows = await db.lead.findMany({
    where: { campaignId, tenantId, ...(query.status ? { status: query.status as LeadStatus } : {}), ...(query.cursor ? { id: { gt: BigInt(query.cursor) } } : {}) },
    orderBy: { id: "asc" },
    take: query.limit + 1,
    select: leadSelect,
  });
  const page = rows.slice(0, query.limit);
  return { leads: page, nextCursor: rows.length > query.limit ? page[page.length - 1]!.id.toString() : null };
}

/** One lead of the campaign; an id that is not a lead of this tenant's campaign is a 404, as is one that is no id. */
export async function getLead(tenantId: string, campaignId: string, leadId: string) {
  await getCampaign(tenantId, campaignId);
  const lead = /^\d{1,18}$/.test(leadId) ? await db.lead.findFirst({ where: { id: BigInt(leadId), campaignId, tenantId }, select: leadSelect }) : null;
  if (!lead) throw new NotFoundError("Lead not found");
  return lead;
}

export function serializeLead(lead: LeadRow) {
  // The window key is the engine's grouping of country and zones; `timezones` says the same to a client.
  const rest: Partial<LeadRow> = { ...lead };
  delete rest.windowKey;
  return { ...rest, id: lead.id.toString() };
}

const EXPORT_BATCH = 5000;
// New columns go before the variables, which come last because each campaign has its own.
const EXPORT_COLUMNS = [
  "line",
  "phone",
  "name",
  "timezone",
  "status",
  "attempts",
  "last_outcome",
  "last_duration_sec",
  "next_attempt_at",
  "timezones",
  "zone_source",
  "suppressed_reason",
  // From the lead's call attempts: only dialed ones count; answered_at is the last answered call's, ended_at the last call's.
  "first_dialed_at",
  "last_dialed_at",
  "answered_at",
  "ended_at",
  "total_attempts",
  "last_provider_call_id",
];

/**
 * The results CSV, streamed in keyset batches (memory is bounded by a batch, whatever the campaign's size), each
 * batch's attempt columns read in one statement; user-provided cells are neutralised against formula injection.
 */
export async function* exportLeadsCsv(tenantId: string, campaignId: string): AsyncGenerator<string> {
  await getCampaign(tenantId, campaignId);
  let variableKeys: string[] | null = null;
  let cursor: bigint | undefined;
  for (;;) {
    const batch = await db.lead.findMany({
      where: { campaignId, tenantId, ...(cursor !== undefined ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: EXPORT_BATCH,
      select: leadSelect,
    });
    const calls = await attemptSummaries(tenantId, batch.map((l) => l.id));
    if (variableKeys === null) {
      variableKeys = await variableNames(tenantId, campaignId);
      yield safeCsvLine([...EXPORT_COLUMNS, ...variableKeys]);
    }
    for (const lead of batch) {
      const vars = (lead.variables ?? {}) as Record<string, unknown>;
      const call = calls.get(lead.id);
      // The phone is our own E.164 (+ and digits: a number to a spreadsheet, never a formula); the rest is user data.
      yield exportLine(lead.phone, [
        String(lead.line),
        lead.name ?? "",
        lead.timezone ?? "",
        lead.status.toLowerCase(),
        String(lead.attempts),
        lead.lastOutcome?.toLowerCase() ?? "",
        lead.lastDurationSec?.toString() ?? "",
        lead.nextAttemptAt?.toISOString() ?? "",
        lead.timezones.join(" "),
        lead.zoneSource?.toLowerCase() ?? "",
        lead.suppressedReason ?? "",
        call?.firstDialedAt?.toISOString() ?? "",
        call?.lastDialedAt?.toISOString() ?? "",
        call?.answeredAt?.toISOString() ?? "",
        call?.endedAt?.toISOString() ?? "",
        String(call?.totalAttempts ?? 0),
        call?.lastProviderCallId ?? "",
        ...variableKeys.map((k) => (vars[k] === undefined || vars[k] === null ? "" : String(vars[k]))),
      ]);
    }
    if (batch.length < EXPORT_BATCH) return;
    cursor = batch[batch.length - 1]!.id;
  }
}

/**
 * The platform's calling hours per country (the CallingRule table, as the scheduler reads it), by country code:
 * shown on the campaign forms next to the schedule, which they tighten.
 */
export async function platformCallingHours() {
  const rows = await db.callingRule.findMany({ orderBy: { country: "asc" }, select: { country: true, intervals: true } });
  return [...countryRules(rows)].map(([country, intervals]) => ({ country, intervals: intervals.map((i) => ({ days: [...i.days], start: i.start, end: i.end })) }));
}
export type PlatformCallingHours = Awaited<ReturnType<typeof platformCallingHours>>;

/**
 * Every variable name used by the campaign's leads, in jsonb's own key order (shorter first). Not the first
 * lead's keys: empty cells are not stored (lib/imports/parse.ts), so any one lead may lack some of them.
 */
async function variableNames(tenantId: string, campaignId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ key: string }[]>`
    SELECT key FROM (SELECT DISTINCT jsonb_object_keys(variables) AS key FROM "Lead" WHERE "tenantId" = ${tenantId} AND "campaignId" = ${campaignId}) k
    ORDER BY octet_length(key), key COLLATE "C"`;
  return rows.map((r) => r.key);
}

function exportLine(phone: string, rest: string[]) {
  const [line, ...others] = rest.map(neutraliseCell);
  return `${csvRow([line!, phone, ...others])}\r\n`;
}

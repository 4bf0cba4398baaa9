import { Prisma } from "@prisma/client";
import { getCampaign, getLead } from "../campaigns/data";
import { db } from "../db";
import type { AttemptRow } from "./attempt-json";
import { encodeAttemptCursor, type AttemptPosition } from "./cursor";
import type { AttemptFilters, AttemptsQuery } from "./schema";

/**
 * A campaign's attempts a page at a time, by lead then attempt number. That is the order an existing index
 * serves for one campaign: CallAttempt has no index that starts with campaignId, but its leads' ids bound a
 * range of the unique (leadId, attemptNumber) index, which the page reads from the cursor on, in order, and
 * stops after `limit` rows. Attempts made later for leads behind the cursor are not on later pages: a client
 * that syncs as calls happen asks again with `from` on dialedAt.
 */
export async function listAttempts(tenantId: string, campaignId: string, query: AttemptsQuery) {
  await getCampaign(tenantId, campaignId);
  const span = await leadIdSpan(campaignId);
  const rows = span ? await attemptRows(tenantId, campaignId, span, query, query.cursor, query.limit + 1) : [];
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { attempts: page, nextCursor: rows.length > query.limit && last ? encodeAttemptCursor(last) : null };
}

/** One lead of the campaign with all its attempts in attempt order; 404 for a lead or campaign not the tenant's. */
export async function getLeadWithAttempts(tenantId: string, campaignId: string, leadId: string) {
  const lead = await getLead(tenantId, campaignId, leadId);
  const attempts = await db.callAttempt.findMany({ where: { leadId: lead.id, tenantId }, orderBy: { attemptNumber: "asc" }, select: attemptSelect });
  return { lead, attempts: attempts.map((a): AttemptRow => ({ ...a, phone: lead.phone })) };
}

export type SpannedAttemptRow = AttemptRow & { line: number };
export type LeadIdSpan = { first: bigint; last: bigint };

/**
 * The attempts after `after`, at most `limit`, with their lead's phone and line. The span is the campaign's
 * lowest and highest lead id: without it the scan of the (leadId, attemptNumber) index would start at the
 * table's first lead (the first page) and run on past the campaign's last one (the last page).
 */
export function attemptRows(tenantId: string, campaignId: string, span: LeadIdSpan, filters: AttemptFilters, after: AttemptPosition | undefined, limit: number) {
  return db.$queryRaw<SpannedAttemptRow[]>(attemptPageSql(tenantId, campaignId, span, filters, after, limit));
}

/**
 * The statement of attemptRows, exported so bench/attempts-plan.ts explains exactly what a page runs. The page is
 * chosen from CallAttempt alone and joined to Lead after: the planner then weighs only the ordered index scan,
 * which stops after `limit` rows, against reading the span and sorting it, and not a join's estimate on top. The
 * tenant is checked on the lead, the campaign (which getCampaign checked is the tenant's) on the attempt.
 */
export function attemptPageSql(tenantId: string, campaignId: string, span: LeadIdSpan, filters: AttemptFilters, after: AttemptPosition | undefined, limit: number) {
  const where = [Prisma.sql`a."leadId" >= ${span.first}::bigint AND a."leadId" <= ${span.last}::bigint AND a."campaignId" = ${campaignId}`];
  if (after) where.push(Prisma.sql`(a."leadId", a."attemptNumber") > (${after.leadId}::bigint, ${after.attemptNumber}::int)`);
  if (filters.outcome === "pending") where.push(Prisma.sql`a.outcome IS NULL`);
  else if (filters.outcome) where.push(Prisma.sql`a.outcome = ${filters.outcome}::"CallOutcome"`);
  if (filters.from) where.push(Prisma.sql`a."dialedAt" >= ${utc(filters.from)}`);
  if (filters.to) where.push(Prisma.sql`a."dialedAt" < ${utc(filters.to)}`);
  // The bounds are repeated on l.id: Postgres does not carry inequalities across a join, and a merge join would
  // otherwise read Lead's primary key from the table's first lead up to the page.
  return Prisma.sql`
    SELECT a.id, a."leadId", l.phone, l.line, a."attemptNumber", a."queuedAt", a."dialedAt", a."answeredAt", a."endedAt",
           a.outcome, a."outcomeAssumed", a.error, a."providerCallId", a."inDoubtSince"
    FROM (
      SELECT a.id, a."leadId", a."attemptNumber", a."queuedAt", a."dialedAt", a."answeredAt", a."endedAt",
             a.outcome, a."outcomeAssumed", a.error, a."providerCallId", a."inDoubtSince"
      FROM "CallAttempt" a
      WHERE ${Prisma.join(where, " AND ")}
      ORDER BY a."leadId", a."attemptNumber"
      LIMIT ${limit}
    ) a
    JOIN "Lead" l ON l.id = a."leadId" AND l."tenantId" = ${tenantId} AND l.id >= ${after?.leadId ?? span.first}::bigint AND l.id <= ${span.last}::bigint
    ORDER BY a."leadId", a."attemptNumber"`;
}

/**
 * The campaign's lowest and highest lead id, or null when it has none. Lead has no index on (campaignId, id),
 * but (campaignId, status, id) answers each status's first and last id with one index probe: two per status.
 */
export async function leadIdSpan(campaignId: string): Promise<LeadIdSpan | null> {
  const [span] = await db.$queryRaw<{ first: bigint | null; last: bigint | null }[]>(leadIdSpanSql(campaignId));
  return span?.first != null && span.last != null ? { first: BigInt(span.first), last: BigInt(span.last) } : null;
}

export function leadIdSpanSql(campaignId: string) {
  return Prisma.sql`
    SELECT min(x.first) AS first, max(x.last) AS last
    FROM unnest(enum_range(NULL::"LeadStatus")) AS s(status)
    CROSS JOIN LATERAL (
      SELECT (SELECT l.id FROM "Lead" l WHERE l."campaignId" = ${campaignId} AND l.status = s.status ORDER BY l.id LIMIT 1) AS first,
             (SELECT l.id FROM "Lead" l WHERE l."campaignId" = ${campaignId} AND l.status = s.status ORDER BY l.id DESC LIMIT 1) AS last
    ) x`;
}

const attemptSelect = {
  id: true,
  leadId: true,
  attemptNumber: true,
  queuedAt: true,
  dialedAt: true,
  answeredAt: true,
  endedAt: true,
  outcome: true,
  outcomeAssumed: true,
  error: true,
  providerCallId: true,
  inDoubtSince: true,
} satisfies Prisma.CallAttemptSelect;

/** A UTC instant as the `timestamp` columns hold it, without depending on how the driver sends a Date. */
function utc(at: Date) {
  return Prisma.sql`(to_timestamp(${at.getTime() / 1000}::double precision) AT TIME ZONE 'UTC')`;
}

import { Prisma } from "@prisma/client";
import { db } from "../db";

/** What the results export says about a lead's calls. Attempts never dialed (refused before the provider) do not count. */
export type AttemptSummary = {
  firstDialedAt: Date | null;
  lastDialedAt: Date | null;
  /** Of the last attempt that was answered. */
  answeredAt: Date | null;
  /** Of the last dialed attempt: empty while that call is still going. */
  endedAt: Date | null;
  totalAttempts: number;
  lastProviderCallId: string | null;
};

/**
 * The summaries of one export batch of leads, in one statement over the unique (leadId, attemptNumber) index:
 * set-based per batch, never a query per lead. Leads never dialed are absent from the map.
 */
export async function attemptSummaries(tenantId: string, leadIds: bigint[]): Promise<Map<bigint, AttemptSummary>> {
  if (leadIds.length === 0) return new Map();
  const rows = await db.$queryRaw<(AttemptSummary & { leadId: bigint })[]>(attemptSummarySql(tenantId, leadIds));
  return new Map(rows.map(({ leadId, ...summary }) => [BigInt(leadId), summary]));
}

/** The statement of attemptSummaries, exported so bench/attempts-plan.ts explains exactly what an export batch runs. */
export function attemptSummarySql(tenantId: string, leadIds: bigint[]) {
  return Prisma.sql`
    SELECT a."leadId",
           min(a."dialedAt") AS "firstDialedAt",
           max(a."dialedAt") AS "lastDialedAt",
           (array_agg(a."answeredAt" ORDER BY a."attemptNumber" DESC) FILTER (WHERE a."answeredAt" IS NOT NULL))[1] AS "answeredAt",
           (array_agg(a."endedAt" ORDER BY a."attemptNumber" DESC) FILTER (WHERE a."dialedAt" IS NOT NULL))[1] AS "endedAt",
           count(a."dialedAt")::int AS "totalAttempts",
           (array_agg(a."providerCallId" ORDER BY a."attemptNumber" DESC) FILTER (WHERE a."dialedAt" IS NOT NULL))[1] AS "lastProviderCallId"
    FROM "CallAttempt" a
    WHERE a."leadId" = ANY(${leadIds.map(String)}::bigint[]) AND a."tenantId" = ${tenantId}
    GROUP BY a."leadId"`;
}

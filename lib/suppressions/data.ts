import type { Prisma, SuppressionSource } from "@prisma/client";
import { db } from "../db";
import { SUPPRESSION_SOURCES, type SuppressionScope, type SuppressionsQuery } from "./schema";

const select = { id: true, phone: true, reason: true, source: true, createdAt: true } satisfies Prisma.SuppressedNumberSelect;
export type SuppressionRow = Prisma.SuppressedNumberGetPayload<{ select: typeof select }>;

/** Newest first, keyset-paginated by id (stable while numbers are added); `q` matches the start of the number. */
export async function listSuppressions(scope: SuppressionScope, query: SuppressionsQuery) {
  const prefix = numberPrefix(query.q);
  const rows = await db.suppressedNumber.findMany({
    where: {
      tenantId: scopeTenantId(scope),
      ...(prefix ? { phone: { startsWith: prefix } } : {}),
      ...(query.cursor ? { id: { lt: BigInt(query.cursor) } } : {}),
    },
    orderBy: { id: "desc" },
    take: query.limit + 1,
    select,
  });
  const page = rows.slice(0, query.limit);
  return { suppressions: page, nextCursor: rows.length > query.limit ? page[page.length - 1]!.id.toString() : null };
}

/** On the tenant's own list or the platform's (SuppressedNumber_phone_idx). `phone` is E.164. */
export async function isSuppressed(tenantId: string, phone: string): Promise<boolean> {
  const hit = await db.suppressedNumber.findFirst({ where: { phone, OR: [{ tenantId }, { tenantId: null }] }, select: { id: true } });
  return hit !== null;
}

/** Entries of a list, in all and per source. */
export async function suppressionCounts(scope: SuppressionScope): Promise<{ total: number; bySource: Record<SuppressionSource, number> }> {
  const rows = await db.suppressedNumber.groupBy({ by: ["source"], where: { tenantId: scopeTenantId(scope) }, _count: { _all: true } });
  const bySource = Object.fromEntries(SUPPRESSION_SOURCES.map((s) => [s, 0])) as Record<SuppressionSource, number>;
  for (const row of rows) bySource[row.source] = row._count._all;
  return { total: rows.reduce((sum, r) => sum + r._count._all, 0), bySource };
}

export function serializeSuppression(row: SuppressionRow) {
  return { id: row.id.toString(), phone: row.phone, reason: row.reason, source: row.source, createdAt: row.createdAt.toISOString() };
}

function scopeTenantId(scope: SuppressionScope): string | null {
  return "platform" in scope ? null : scope.tenantId;
}

/** Numbers are stored in E.164, so a search is "+" and the digits typed: "+1 (212)" finds +1212…. */
function numberPrefix(q: string | undefined): string | null {
  const digits = (q ?? "").replace(/\D/g, "");
  return digits ? `+${digits}` : null;
}

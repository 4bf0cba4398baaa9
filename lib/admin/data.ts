import { db } from "../db";
import type { Interval } from "../rules/windows";

/** Platform-wide reads: only for platform admins (checked by the caller). */
export function listTenantsForAdmin() {
  return db.tenant.findMany({
    select: { id: true, name: true, createdAt: true, weight: true, maxConcurrent: true, maxCps: true, paused: true, _count: { select: { users: true } } },
    orderBy: { createdAt: "asc" },
  });
}

/** The platform's calling hours, one row per destination country. */
export async function listCallingRules() {
  const rows = await db.callingRule.findMany({ orderBy: { country: "asc" } });
  return rows.map((r) => ({ country: r.country, intervals: r.intervals as unknown as Interval[], updatedAt: r.updatedAt }));
}

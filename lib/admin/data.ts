import { db } from "../db";

/** Platform-wide reads: only for platform admins (checked by the caller). */
export function listTenantsForAdmin() {
  return db.tenant.findMany({
    select: { id: true, name: true, createdAt: true, weight: true, maxConcurrent: true, maxCps: true, paused: true, _count: { select: { users: true } } },
    orderBy: { createdAt: "asc" },
  });
}

import { db } from "../db";

export async function listAudit(limit = 50) {
  const rows = await db.auditLog.findMany({ orderBy: { createdAt: "desc" }, take: limit });
  const tenantIds = [...new Set(rows.map((r) => r.tenantId).filter((t): t is string => t !== null))];
  const tenants = await db.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, name: true } });
  const names = new Map(tenants.map((t) => [t.id, t.name]));
  return rows.map((r) => ({ ...r, tenantName: r.tenantId ? names.get(r.tenantId) ?? r.tenantId : null }));
}

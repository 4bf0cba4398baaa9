import { db } from "../db";

export function listApiKeys(tenantId: string) {
  return db.apiKey.findMany({
    where: { tenantId },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: { createdAt: "desc" },
  });
}

import { db } from "../db";
import { NotFoundError } from "../errors";
import { generateApiKey, hashApiKey, looksLikeApiKey } from "./key";

/** Returns the full key exactly once; only its hash is stored. */
export async function createApiKey(tenantId: string, name: string) {
  const { key, prefix, hash } = generateApiKey();
  const record = await db.apiKey.create({ data: { tenantId, name, prefix, hash }, select: { id: true, name: true, prefix: true, createdAt: true } });
  return { key, record };
}

export async function revokeApiKey(tenantId: string, keyId: string) {
  const { count } = await db.apiKey.updateMany({ where: { id: keyId, tenantId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0) throw new NotFoundError("API key not found");
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** Resolves a bearer key to its tenant; null for unknown, malformed or revoked keys. */
export async function authenticateApiKey(raw: string): Promise<{ tenantId: string; keyId: string } | null> {
  if (!looksLikeApiKey(raw)) return null;
  const key = await db.apiKey.findUnique({ where: { hash: hashApiKey(raw) }, select: { id: true, tenantId: true, revokedAt: true, lastUsedAt: true } });
  if (!key || key.revokedAt) return null;
  // Writing lastUsedAt on every request would turn each API read into a write; a minute's resolution is enough.
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
  }
  return { tenantId: key.tenantId, keyId: key.id };
}

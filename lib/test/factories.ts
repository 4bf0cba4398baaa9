// Data factories for integration tests: every test gets its own tenant and queue prefix.
import { randomUUID } from "node:crypto";
import { db } from "../db";

export function uniqueId(label = "t") {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

export async function createTenant(overrides: { name?: string; weight?: number; maxConcurrent?: number | null; maxCps?: number | null } = {}) {
  return db.tenant.create({ data: { name: overrides.name ?? uniqueId("tenant"), weight: overrides.weight ?? 1, maxConcurrent: overrides.maxConcurrent ?? null, maxCps: overrides.maxCps ?? null } });
}

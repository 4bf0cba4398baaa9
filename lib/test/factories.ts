// Data factories for integration tests: every test gets its own tenant and queue prefix.
import { randomUUID } from "node:crypto";
import { db } from "../db";

export function uniqueId(label = "t") {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

/** An approved tenant with no caps unless given: tests that need the signup defaults go through signUp. */
export async function createTenant(overrides: { name?: string; weight?: number; maxConcurrent?: number | null; maxCps?: number | null; approvedAt?: Date | null } = {}) {
  return db.tenant.create({
    data: { name: overrides.name ?? uniqueId("tenant"), weight: overrides.weight ?? 1, maxConcurrent: overrides.maxConcurrent ?? null, maxCps: overrides.maxCps ?? null, approvedAt: overrides.approvedAt === undefined ? new Date() : overrides.approvedAt },
  });
}

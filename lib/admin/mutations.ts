import type { Prisma } from "@prisma/client";
import { db } from "../db";
import { withdrawQueued } from "../dispatch/withdraw";
import { wakeScheduler } from "../dispatch/wake";
import { ConflictError, NotFoundError } from "../errors";
import { log } from "../log";
import { redis } from "../redis";
import type { TenantLimits } from "../tenants/schema";
import type { TenantDestinations } from "./schema";

export interface Actor {
  id: string;
  email: string;
}

type AuditedField = "weight" | "maxConcurrent" | "maxCps" | "paused" | "dedicatedLane" | "allowedCountries" | "allowPremiumNumbers" | "approvedAt";

/** A platform admin's change of a tenant's weight and caps; the change and its audit row commit together. */
export function changeTenantLimits(actor: Actor, tenantId: string, limits: TenantLimits) {
  return auditedTenantUpdate(actor, tenantId, "tenant.limits", limits);
}

export function changeTenantPaused(actor: Actor, tenantId: string, paused: boolean) {
  return auditedTenantUpdate(actor, tenantId, paused ? "tenant.pause" : "tenant.resume", { paused });
}

/** Opt a tenant in or out of a dedicated lane; its calls then need callers started with --lane <tenantId>. */
export async function changeTenantLane(actor: Actor, tenantId: string, dedicatedLane: boolean, engine: { queuePrefix?: string } = {}) {
  const after = await auditedTenantUpdate(actor, tenantId, dedicatedLane ? "tenant.lane.on" : "tenant.lane.off", { dedicatedLane });
  // The tenant's waiting calls sit in the queue of the old setting, where no caller may serve them any more:
  // they go back to pending and the scheduler, woken now, publishes them to the new queue.
  await withdrawQueued({ tenantId }, { prefix: engine.queuePrefix }).catch((err: unknown) =>
    log.warn({ err, tenantId }, "could not withdraw the tenant's queued calls after a lane change; the reconciler will move them"),
  );
  await wakeScheduler(redis(), engine.queuePrefix);
  return after;
}

/** Where the tenant may call; callers apply it to the next dial, including leads imported before the change. */
export function changeTenantDestinations(actor: Actor, tenantId: string, destinations: TenantDestinations) {
  return auditedTenantUpdate(actor, tenantId, "tenant.destinations", destinations);
}

/** Lets a tenant that signed up in approval mode dial; approving twice is refused so the first approval stays on record. */
export function approveTenant(actor: Actor, tenantId: string) {
  return auditedTenantUpdate(actor, tenantId, "tenant.approve", { approvedAt: new Date() }, (before) => {
    if (before.approvedAt !== null) throw new ConflictError("This tenant is already approved");
  });
}

/** Updates the given tenant fields and records who changed what from what to what, in one transaction. */
async function auditedTenantUpdate<T extends Partial<Record<AuditedField, unknown>>>(actor: Actor, tenantId: string, action: string, data: T, check?: (before: Record<keyof T, unknown>) => void) {
  const select = Object.fromEntries(Object.keys(data).map((k) => [k, true])) as Prisma.TenantSelect;
  return db.$transaction(async (tx) => {
    // FOR UPDATE: two admins approving at once must not both pass the check.
    await tx.$queryRaw`SELECT 1 FROM "Tenant" WHERE id = ${tenantId} FOR UPDATE`;
    const before = await tx.tenant.findUnique({ where: { id: tenantId }, select });
    if (!before) throw new NotFoundError("Tenant not found");
    check?.(before as Record<keyof T, unknown>);
    const after = await tx.tenant.update({ where: { id: tenantId }, data: data as Prisma.TenantUpdateInput, select });
    await tx.auditLog.create({ data: { actorId: actor.id, actorEmail: actor.email, tenantId, action, before: before as unknown as Prisma.InputJsonValue, after: after as unknown as Prisma.InputJsonValue } });
    return after;
  });
}

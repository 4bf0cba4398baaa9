import type { Prisma } from "@prisma/client";
import { db } from "../db";
import { NotFoundError } from "../errors";
import type { TenantLimits } from "../tenants/schema";

export interface Actor {
  id: string;
  email: string;
}

/** A platform admin's change of a tenant's weight and caps; the change and its audit row commit together. */
export function changeTenantLimits(actor: Actor, tenantId: string, limits: TenantLimits) {
  return auditedTenantUpdate(actor, tenantId, "tenant.limits", limits);
}

export function changeTenantPaused(actor: Actor, tenantId: string, paused: boolean) {
  return auditedTenantUpdate(actor, tenantId, paused ? "tenant.pause" : "tenant.resume", { paused });
}

/** Opt a tenant in or out of a dedicated lane; its calls then need callers started with --lane <tenantId>. */
export function changeTenantLane(actor: Actor, tenantId: string, dedicatedLane: boolean) {
  return auditedTenantUpdate(actor, tenantId, dedicatedLane ? "tenant.lane.on" : "tenant.lane.off", { dedicatedLane });
}

/** Updates the given tenant fields and records who changed what from what to what, in one transaction. */
async function auditedTenantUpdate<T extends Partial<Record<"weight" | "maxConcurrent" | "maxCps" | "paused" | "dedicatedLane", unknown>>>(actor: Actor, tenantId: string, action: string, data: T) {
  const select = Object.fromEntries(Object.keys(data).map((k) => [k, true])) as Prisma.TenantSelect;
  return db.$transaction(async (tx) => {
    const before = await tx.tenant.findUnique({ where: { id: tenantId }, select });
    if (!before) throw new NotFoundError("Tenant not found");
    const after = await tx.tenant.update({ where: { id: tenantId }, data: data as Prisma.TenantUpdateInput, select });
    await tx.auditLog.create({ data: { actorId: actor.id, actorEmail: actor.email, tenantId, action, before: before as unknown as Prisma.InputJsonValue, after: after as unknown as Prisma.InputJsonValue } });
    return after;
  });
}

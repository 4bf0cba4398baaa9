import { db } from "../db";
import { NotFoundError } from "../errors";
import type { TenantLimits } from "../tenants/schema";

export interface Actor {
  id: string;
  email: string;
}

const limitFields = { weight: true, maxConcurrent: true, maxCps: true } as const;

/** A platform admin's change of a tenant's weight and caps; the change and its audit row commit together. */
export async function changeTenantLimits(actor: Actor, tenantId: string, limits: TenantLimits) {
  return db.$transaction(async (tx) => {
    const before = await tx.tenant.findUnique({ where: { id: tenantId }, select: limitFields });
    if (!before) throw new NotFoundError("Tenant not found");
    const after = await tx.tenant.update({ where: { id: tenantId }, data: limits, select: limitFields });
    await tx.auditLog.create({ data: { actorId: actor.id, actorEmail: actor.email, tenantId, action: "tenant.limits", before, after } });
    return after;
  });
}

export async function changeTenantPaused(actor: Actor, tenantId: string, paused: boolean) {
  return db.$transaction(async (tx) => {
    const before = await tx.tenant.findUnique({ where: { id: tenantId }, select: { paused: true } });
    if (!before) throw new NotFoundError("Tenant not found");
    const after = await tx.tenant.update({ where: { id: tenantId }, data: { paused }, select: { paused: true } });
    await tx.auditLog.create({ data: { actorId: actor.id, actorEmail: actor.email, tenantId, action: paused ? "tenant.pause" : "tenant.resume", before, after } });
    return after;
  });
}

/** Opt a tenant in or out of a dedicated lane; its calls then need callers started with --lane <tenantId>. */
export async function changeTenantLane(actor: Actor, tenantId: string, dedicatedLane: boolean) {
  return db.$transaction(async (tx) => {
    const before = await tx.tenant.findUnique({ where: { id: tenantId }, select: { dedicatedLane: true } });
    if (!before) throw new NotFoundError("Tenant not found");
    const after = await tx.tenant.update({ where: { id: tenantId }, data: { dedicatedLane }, select: { dedicatedLane: true } });
    await tx.auditLog.create({ data: { actorId: actor.id, actorEmail: actor.email, tenantId, action: dedicatedLane ? "tenant.lane.on" : "tenant.lane.off", before, after } });
    return after;
  });
}

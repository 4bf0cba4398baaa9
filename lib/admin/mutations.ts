import type { Prisma } from "@prisma/client";
import type { CountryCode } from "libphonenumber-js/max";
import { db } from "../db";
import { withdrawQueued } from "../dispatch/withdraw";
import { wakeScheduler } from "../dispatch/wake";
import { ConflictError, NotFoundError } from "../errors";
import { log } from "../log";
import type { Interval } from "../rules/windows";
import { addSuppressions, removeSuppression, type SuppressionEntry, type SuppressionOptions } from "../suppressions/mutations";
import type { SuppressionResult } from "../suppressions/schema";
import type { TenantLimits } from "../tenants/schema";
import { callingRuleSchema, type TenantDestinations } from "./schema";
import { forgetCallingRules } from "../campaigns/window-state";

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
  await wakeScheduler({ prefix: engine.queuePrefix, tenantId });
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

// ---------- platform-wide rules: no tenant of their own, so each audit row names its subject in before/after

/** Sets a country's platform calling hours (replacing any); the scheduler reads the table within seconds. */
export async function setCallingRule(actor: Actor, country: string, intervals: Interval[]) {
  const rule = callingRuleSchema.parse({ country, intervals });
  const stored = rule.intervals.map((i) => ({ days: [...i.days].sort((a, b) => a - b), start: i.start, end: i.end }));
  return db.$transaction(async (tx) => {
    const before = await tx.$queryRaw<{ intervals: Interval[] }[]>`SELECT intervals FROM "CallingRule" WHERE country = ${rule.country} FOR UPDATE`;
    const json = JSON.stringify(stored);
    await tx.$executeRaw`INSERT INTO "CallingRule" (country, intervals, "updatedAt") VALUES (${rule.country}, ${json}::jsonb, now())
      ON CONFLICT (country) DO UPDATE SET intervals = EXCLUDED.intervals, "updatedAt" = now()`;
    const after = { country: rule.country, intervals: stored };
    await tx.auditLog.create({ data: audit(actor, "calling_rule.set", { country: rule.country, intervals: before[0]?.intervals ?? null }, after) });
    return after;
  }).finally(forgetCallingRules);
}

/** Lifts a country's platform calling hours: its leads are then bound by their campaign's schedule only. */
export async function deleteCallingRule(actor: Actor, country: string) {
  const code = country.trim().toUpperCase();
  return db.$transaction(async (tx) => {
    const [before] = await tx.$queryRaw<{ intervals: Interval[] }[]>`DELETE FROM "CallingRule" WHERE country = ${code} RETURNING intervals`;
    if (!before) throw new NotFoundError(`No calling hours are set for ${code}`);
    await tx.auditLog.create({ data: audit(actor, "calling_rule.delete", { country: code, intervals: before.intervals }, { country: code, intervals: null }) });
  }).finally(forgetCallingRules);
}

/** Numbers on the platform-wide list are never called by any tenant; the change and its audit row commit together. */
export function addPlatformSuppressions(actor: Actor, entries: SuppressionEntry[], options: { defaultCountry?: CountryCode } = {}) {
  const numbers = entries.slice(0, AUDITED_NUMBERS).map((e) => e.phone);
  return addSuppressions({ platform: true }, entries, "MANUAL", { ...options, afterWrite: auditInTransaction(actor, "platform.dnc.add", (r) => ({ numbers, ...counts(r) })) });
}

/** Takes a number off the platform list; leads it already suppressed stay suppressed. */
export function removePlatformSuppression(actor: Actor, phone: string) {
  return removeSuppression({ platform: true }, phone, { afterWrite: auditInTransaction(actor, "platform.dnc.remove", () => ({ numbers: [phone] }), true) });
}

/** The audit hook of a platform-list CSV upload (app/api/admin/suppressions), written with the upload's counts. */
export function platformUploadAudit(actor: Actor): SuppressionOptions["afterWrite"] {
  return auditInTransaction(actor, "platform.dnc.upload", counts);
}

/** A platform-list audit row, written on the list change's own connection so both commit or neither does. */
function auditInTransaction(actor: Actor, action: string, detail: (result: SuppressionResult) => Record<string, unknown>, removed = false): NonNullable<SuppressionOptions["afterWrite"]> {
  return async (client, result) => {
    // An add that listed nothing new and suppressed nothing (invalid or known numbers only) changed nothing to record.
    if (!removed && result.added === 0 && result.leadsSuppressed === 0) return;
    const subject = { list: "platform do-not-call" };
    const [before, after] = removed ? [{ ...subject, ...detail(result) }, subject] : [subject, { ...subject, ...detail(result) }];
    await client.query(
      `INSERT INTO "AuditLog" (id, "actorId", "actorEmail", "tenantId", action, before, after) VALUES (gen_random_uuid()::text, $1, $2, NULL, $3, $4::jsonb, $5::jsonb)`,
      [actor.id, actor.email, action, JSON.stringify(before), JSON.stringify(after)],
    );
  };
}

/** A large upload is audited by its counts; the numbers themselves are in the list, with their source and date. */
const AUDITED_NUMBERS = 20;

function counts(r: SuppressionResult) {
  return { added: r.added, alreadyListed: r.alreadyListed, rejected: r.rejected.length, leadsSuppressed: r.leadsSuppressed };
}

function audit(actor: Actor, action: string, before: Record<string, unknown>, after: Record<string, unknown>) {
  return { actorId: actor.id, actorEmail: actor.email, tenantId: null, action, before: before as Prisma.InputJsonValue, after: after as Prisma.InputJsonValue };
}

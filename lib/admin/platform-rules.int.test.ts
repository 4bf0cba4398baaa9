// The platform admin's calling hours and platform-wide do-not-call list: each change audited with it, and refused
// to anyone but a platform admin. Only countries no other test reads (AU, NZ) and numbers no other test uses.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { db } from "../db";
import { NotFoundError } from "../errors";
import { campaignState, campaignWithLeads, uniqueUsNumber } from "../test/campaign-leads";
import { createTenant, uniqueId } from "../test/factories";
import { isSuppressed } from "../suppressions/data";
import { signUp } from "../tenants/mutations";
import { listAudit } from "./audit";
import { addPlatformSuppressions, deleteCallingRule, removePlatformSuppression, setCallingRule } from "./mutations";

const session = vi.hoisted(() => ({ current: null as { uid: string; sv: number } | null }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<typeof import("next-auth")>()), getServerSession: async () => session.current }));

const actions = await import("./actions");
const { POST: uploadRoute } = await import("../../app/api/admin/suppressions/route");

const COUNTRIES = ["AU", "NZ", "KE"];
const platformNumbers: string[] = [];

afterEach(() => {
  session.current = null;
});
afterAll(async () => {
  await db.callingRule.deleteMany({ where: { country: { in: COUNTRIES } } });
  await db.suppressedNumber.deleteMany({ where: { tenantId: null, phone: { in: platformNumbers } } });
});

const WEEKDAYS = [1, 2, 3, 4, 5];

describe("calling hours", () => {
  it("setting, replacing and removing a country's hours is stored and audited with before and after", async () => {
    const actor = newActor();
    await db.callingRule.deleteMany({ where: { country: "AU" } });
    await setCallingRule(actor, "au", [{ days: [5, 1, 2, 3, 4], start: "09:00", end: "20:00" }]);
    expect(await rule("AU")).toEqual([{ days: WEEKDAYS, start: "09:00", end: "20:00" }]);
    await setCallingRule(actor, "AU", [{ days: WEEKDAYS, start: "09:00", end: "12:00" }, { days: [6], start: "10:00", end: "24:00" }]);
    expect(await rule("AU")).toEqual([{ days: WEEKDAYS, start: "09:00", end: "12:00" }, { days: [6], start: "10:00", end: "24:00" }]);
    await deleteCallingRule(actor, "AU");
    expect(await rule("AU")).toBeNull();

    const rows = await auditBy(actor.id);
    expect(rows.map((r) => r.action)).toEqual(["calling_rule.delete", "calling_rule.set", "calling_rule.set"]);
    expect(rows[2]).toMatchObject({ tenantId: null, actorEmail: actor.email, before: { country: "AU", intervals: null }, after: { country: "AU", intervals: [{ days: WEEKDAYS, start: "09:00", end: "20:00" }] } });
    expect(rows[1]).toMatchObject({ before: { intervals: [{ end: "20:00" }] }, after: { intervals: [{ end: "12:00" }, { days: [6] }] } });
    expect(rows[0]).toMatchObject({ before: { country: "AU", intervals: [{ end: "12:00" }, { days: [6] }] }, after: { country: "AU", intervals: null } });
  });

  it("refuses invalid countries and intervals, and removing hours that are not set; nothing changes, nothing is audited", async () => {
    const actor = newActor();
    await setCallingRule(actor, "NZ", [{ days: [1], start: "08:00", end: "21:00" }]);
    const cases: [string, unknown][] = [
      ["XX", [{ days: [1], start: "08:00", end: "21:00" }]],
      ["NZ", []],
      ["NZ", [{ days: [1], start: "21:00", end: "08:00" }]],
      ["NZ", [{ days: [0, 8], start: "08:00", end: "21:00" }]],
      ["NZ", [{ days: [1], start: "8am", end: "21:00" }]],
    ];
    for (const [country, intervals] of cases) {
      await expect(setCallingRule(actor, country, intervals as never), JSON.stringify(intervals)).rejects.toBeInstanceOf(z.ZodError);
    }
    expect(await rule("NZ")).toEqual([{ days: [1], start: "08:00", end: "21:00" }]);
    await deleteCallingRule(actor, "NZ");
    await expect(deleteCallingRule(actor, "NZ")).rejects.toThrow(NotFoundError);
    expect((await auditBy(actor.id)).map((r) => r.action)).toEqual(["calling_rule.delete", "calling_rule.set"]);
  });
});

describe("the platform do-not-call list", () => {
  it("an admin's add and remove are audited, and the add suppresses every tenant's leads with the number", async () => {
    const actor = newActor();
    const phone = platformNumber();
    const a = await createTenant();
    const b = await createTenant();
    const ca = await campaignWithLeads(a.id, [{ phone }]);
    const cb = await campaignWithLeads(b.id, [{ phone, status: "SCHEDULED" }]);
    const result = await addPlatformSuppressions(actor, [{ phone, reason: "registry" }, { phone: "nope" }]);
    expect(result).toMatchObject({ added: 1, leadsSuppressed: 2, rejected: [{ input: "nope" }] });
    expect(await campaignState(ca)).toMatchObject({ pendingCount: 0, suppressedCount: 1 });
    expect(await campaignState(cb)).toMatchObject({ suppressedCount: 1 });

    await removePlatformSuppression(actor, phone);
    expect(await isSuppressed(a.id, phone)).toBe(false);
    await expect(removePlatformSuppression(actor, phone)).rejects.toThrow(NotFoundError);

    const rows = await auditBy(actor.id);
    expect(rows.map((r) => r.action)).toEqual(["platform.dnc.remove", "platform.dnc.add"]);
    expect(rows[1]).toMatchObject({ tenantId: null, before: { list: "platform do-not-call" }, after: { list: "platform do-not-call", numbers: [phone, "nope"], added: 1, rejected: 1, leadsSuppressed: 2 } });
    expect(rows[0]).toMatchObject({ before: { numbers: [phone] }, after: { list: "platform do-not-call" } });
  });

  it("an admin's CSV upload through /api/admin/suppressions is added and audited", async () => {
    const admin = await newUser("Operator", true);
    const phones = [platformNumber(), platformNumber()];
    session.current = { uid: admin.id, sv: admin.sessionVersion };
    const res = await uploadRoute(csvRequest(`phone\n${phones.join("\n")}\nbad\n`));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ added: 2, rejectedCount: 1 });
    expect(await db.suppressedNumber.count({ where: { tenantId: null, phone: { in: phones }, source: "UPLOAD" } })).toBe(2);
    expect(await auditBy(admin.id)).toMatchObject([{ action: "platform.dnc.upload", after: { added: 2, rejected: 1 } }]);
  });
});

describe("only platform admins", () => {
  it("a tenant owner is turned away from every calling-hours and platform-list action and the upload; nothing changes or is audited", async () => {
    const owner = await newUser("Sneaky", false);
    const phone = platformNumber();
    // A rule the owner will try to delete, and the US rule (whatever the test platform has) a preset would replace.
    await db.callingRule.create({ data: { country: "KE", intervals: [{ days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" }] } });
    const usBefore = await rule("US");
    session.current = { uid: owner.id, sv: owner.sessionVersion };
    await expect(actions.setCallingRuleAction(form({ country: "AU", intervals: JSON.stringify([{ days: [1], start: "00:00", end: "24:00" }]) }))).rejects.toThrow("NEXT_REDIRECT");
    await expect(actions.deleteCallingRuleAction("KE")).rejects.toThrow("NEXT_REDIRECT");
    await expect(actions.applyCallingRulePresetAction("us-florida")).rejects.toThrow("NEXT_REDIRECT");
    await expect(actions.addPlatformSuppressionAction(form({ phone, defaultCountry: "US" }))).rejects.toThrow("NEXT_REDIRECT");
    await expect(actions.removePlatformSuppressionAction(phone)).rejects.toThrow("NEXT_REDIRECT");
    const upload = await uploadRoute(csvRequest(`phone\n${phone}\n`));
    expect(upload.status).toBe(403);
    session.current = null; // signed out
    await expect(actions.setCallingRuleAction(form({ country: "AU", intervals: "[]" }))).rejects.toThrow("NEXT_REDIRECT");
    expect((await uploadRoute(csvRequest(`phone\n${phone}\n`))).status).toBe(401);

    expect(await rule("AU")).toBeNull();
    expect(await rule("KE")).not.toBeNull();
    expect(await rule("US")).toEqual(usBefore);
    await db.callingRule.delete({ where: { country: "KE" } });
    expect(await db.suppressedNumber.count({ where: { phone } })).toBe(0);
    expect(await auditBy(owner.id)).toHaveLength(0);
  });

  it("a platform admin's session passes the same checks, with the form's intervals as JSON", async () => {
    const admin = await newUser("Operator", true);
    session.current = { uid: admin.id, sv: admin.sessionVersion };
    const bad = await actions.setCallingRuleAction(form({ country: "AU", intervals: JSON.stringify([{ days: [], start: "09:00", end: "17:00" }]) }));
    expect(bad).toMatchObject({ ok: false, fieldErrors: { "intervals.0.days": ["Pick at least one day"] } });
    // Outside a Next request revalidatePath has nothing to revalidate; what matters is that the change went through.
    await actions.setCallingRuleAction(form({ country: "AU", intervals: JSON.stringify([{ days: [6, 7], start: "10:00", end: "16:00" }]) })).catch(ignoreRevalidate);
    expect(await rule("AU")).toEqual([{ days: [6, 7], start: "10:00", end: "16:00" }]);
    expect(await actions.applyCallingRulePresetAction("no-such-preset")).toMatchObject({ ok: false, message: "Unknown preset" });
    await actions.deleteCallingRuleAction("AU").catch(ignoreRevalidate);
    expect(await rule("AU")).toBeNull();
    expect((await auditBy(admin.id)).map((r) => r.action)).toEqual(["calling_rule.delete", "calling_rule.set"]);
  });
});

function newActor() {
  return { id: uniqueId("admin"), email: `${uniqueId("ops")}@fairdial.test` };
}

async function newUser(label: string, isPlatformAdmin: boolean) {
  const { user } = await signUp({ organisation: `${label} ${uniqueId()}`, name: `${label} Owner`, email: `${uniqueId(label.toLowerCase())}@example.test`, password: `pw-${randomUUID()}` });
  return isPlatformAdmin ? db.user.update({ where: { id: user.id }, data: { isPlatformAdmin: true } }) : user;
}

function platformNumber() {
  const phone = uniqueUsNumber();
  platformNumbers.push(phone);
  return phone;
}

async function rule(country: string) {
  return ((await db.callingRule.findUnique({ where: { country } }))?.intervals ?? null) as unknown;
}

async function auditBy(actorId: string) {
  return (await listAudit(500)).filter((r) => r.actorId === actorId);
}

function form(fields: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

function csvRequest(csv: string) {
  return new Request("http://test/api/admin/suppressions", { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
}

function ignoreRevalidate(err: unknown) {
  if (String(err).includes("NEXT_REDIRECT")) throw err;
}

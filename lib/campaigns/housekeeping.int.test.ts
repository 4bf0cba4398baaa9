// Campaign housekeeping against the real Postgres: duplicating a campaign (settings, leads, counters, the do-not-call
// check, all or nothing) and archiving it (out of the lists, still readable and exportable, never started).
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { db } from "../db";
import { ConflictError, NotFoundError } from "../errors";
import { importCampaign } from "../imports/import";
import { pgPool } from "../pg";
import { addSuppressions, removeSuppression } from "../suppressions/mutations";
import { createTenant, uniqueId } from "../test/factories";
import { archiveCampaign, unarchiveCampaign } from "./archive";
import { countArchivedCampaigns, exportLeadsCsv, getCampaign, listCampaigns } from "./data";
import { duplicateCampaign } from "./duplicate";
import { changeCampaignStatus, updateCampaignSchedule } from "./mutations";
import { tenantProgress } from "./progress";

const prefix = uniqueId("housekeeping");

// One lead per way a call can end, two numbers listed at import (Gus stays listed, Hal is taken off the list later),
// a toll-free number placed by the campaign's zone (Ivy) and one never called (Jo).
const LEADS = [
  ["+12125550100", "Ada", "COMPLETED"],
  ["+13125550101", "Bob", "NO_ANSWER"],
  ["+14155550102", "Cy", "BUSY"],
  ["+16175550103", "Di", "VOICEMAIL"],
  ["+17135550104", "Ed", "FAILED"],
  ["+13055550105", "Flo", "CANCELLED"],
  ["+12065550106", "Gus", "SUPPRESSED"],
  ["+15125550107", "Hal", "SUPPRESSED"],
  ["+18005550108", "Ivy", "NO_ANSWER"],
  ["+12135550109", "Jo", "PENDING"],
] as const;
const CSV = `phone,name,city\n${LEADS.map(([phone, name]) => `${phone},${name},${name}ville`).join("\n")}\n`;
const FUTURE = new Date(Date.now() + 7 * 24 * 3600_000);

/** A paused campaign whose calls have all ended as LEADS says, with a retry policy, TwiML URL and schedule of its own. */
async function finishedCampaign(tenantId: string, { name = "Spring", csv = CSV } = {}) {
  await addSuppressions({ tenantId }, [{ phone: "+12065550106", reason: "asked by email" }, { phone: "+15125550107" }], "MANUAL");
  const { campaignId } = await importCampaign({ tenantId, options: { name, defaultCountry: "US", timezone: "America/Chicago" }, source: Readable.from([Buffer.from(csv)]) });
  const pool = pgPool();
  for (const [phone, , status] of LEADS) {
    if (status === "SUPPRESSED" || status === "PENDING") continue;
    const outcome = status === "CANCELLED" ? null : status;
    await pool.query(
      `UPDATE "Lead" SET status = $3::"LeadStatus", attempts = 2, "lastOutcome" = $4::"CallOutcome", "lastDurationSec" = 12, "holdReason" = 'held once' WHERE "campaignId" = $1 AND phone = $2`,
      [campaignId, phone, status, outcome],
    );
  }
  // Ivy ended with the campaign's zone of then; the campaign moves to Los Angeles afterwards.
  await updateCampaignSchedule(tenantId, campaignId, { timezone: "America/Los_Angeles", schedule: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00", startAt: "2026-01-05T15:00:00Z", endAt: FUTURE.toISOString() } });
  await db.campaign.update({
    where: { id: campaignId },
    data: { status: "PAUSED", maxAttempts: 5, retryDelaySec: 600, retryOutcomes: ["NO_ANSWER", "VOICEMAIL"], twimlUrl: "https://voice.example.test/twiml", startedAt: new Date(), firstDialAt: new Date(), pendingCount: 1 },
  });
  // Bob is listed after his call: the copy must not call him.
  await addSuppressions({ tenantId }, [{ phone: "+13125550101", reason: "complained" }], "MANUAL");
  await removeSuppression({ tenantId }, "+15125550107");
  return campaignId;
}

async function draft(tenantId: string, name: string, csv: string) {
  const { campaignId } = await importCampaign({ tenantId, options: { name, defaultCountry: "US" }, source: Readable.from([Buffer.from(csv)]) });
  return campaignId;
}

async function leadsOf(campaignId: string) {
  const { rows } = await pgPool().query(
    `SELECT line, phone, name, status, attempts, "lastOutcome", "lastDurationSec", "nextAttemptAt", "holdReason", "suppressedReason", timezones, "zoneSource", "windowKey", variables
     FROM "Lead" WHERE "campaignId" = $1 ORDER BY id`,
    [campaignId],
  );
  return rows;
}

async function windowKeys(campaignId: string) {
  const { rows } = await pgPool().query(`SELECT key, country, zones FROM "CampaignWindowKey" WHERE "campaignId" = $1 ORDER BY key`, [campaignId]);
  return rows;
}

describe("duplicateCampaign", () => {
  it("copies the settings and every lead as never called, rechecked against today's do-not-call lists", async () => {
    const t = await createTenant();
    const source = await finishedCampaign(t.id);
    const copy = await duplicateCampaign(t.id, source, { leads: "all" });

    expect(copy).toMatchObject({
      name: "Spring (copy)",
      status: "DRAFT",
      defaultCountry: "US",
      maxAttempts: 5,
      retryDelaySec: 600,
      retryOutcomes: ["NO_ANSWER", "VOICEMAIL"],
      twimlUrl: "https://voice.example.test/twiml",
      timezone: "America/Los_Angeles",
      scheduleDays: [1, 2, 3, 4, 5],
      scheduleStart: "09:00",
      scheduleEnd: "17:00",
      // The scheduled start has passed: copied, it would mean nothing; the automatic stop is still ahead.
      startAt: null,
      endAt: FUTURE,
      startedAt: null,
      firstDialAt: null,
      completedAt: null,
      archivedAt: null,
      totalLeads: 10,
      suppressedCount: 2,
      pendingCount: 8,
      rejectedCount: 0,
      duplicateCount: 0,
    });
    expect(copy.id).not.toBe(source);

    const leads = await leadsOf(copy.id);
    expect(leads.map((l) => l.name)).toEqual(LEADS.map(([, name]) => name));
    expect(leads.map((l) => [l.name, l.status, l.suppressedReason])).toEqual([
      ["Ada", "PENDING", null],
      ["Bob", "SUPPRESSED", "on your do-not-call list: complained"],
      ["Cy", "PENDING", null],
      ["Di", "PENDING", null],
      ["Ed", "PENDING", null],
      ["Flo", "PENDING", null],
      ["Gus", "SUPPRESSED", "on your do-not-call list: asked by email"],
      // Taken off the list since the import: called this time.
      ["Hal", "PENDING", null],
      ["Ivy", "PENDING", null],
      ["Jo", "PENDING", null],
    ]);
    for (const lead of leads) expect(lead).toMatchObject({ attempts: 0, lastOutcome: null, lastDurationSec: null, nextAttemptAt: null, holdReason: null, variables: { city: `${lead.name}ville` } });
    expect(leads[0]).toMatchObject({ line: 2, phone: "+12125550100", zoneSource: "PHONE", timezones: ["America/New_York"], windowKey: "US|America/New_York" });
    // The lead placed by the campaign's zone is placed by its zone of today.
    expect(leads[8]).toMatchObject({ zoneSource: "CAMPAIGN", timezones: ["America/Los_Angeles"], windowKey: "US|America/Los_Angeles" });
    expect((await windowKeys(copy.id)).map((k) => k.key)).toEqual([...new Set(leads.map((l) => l.windowKey as string))].sort());

    // The source is untouched.
    const original = await getCampaign(t.id, source);
    expect(original).toMatchObject({ status: "PAUSED", totalLeads: 10, suppressedCount: 2 });
    expect((await leadsOf(source)).map((l) => l.status)).toEqual(LEADS.map(([, , status]) => status));
  });

  it("copies only the leads that did not end COMPLETED, under the name given", async () => {
    const t = await createTenant();
    const source = await finishedCampaign(t.id);
    const copy = await duplicateCampaign(t.id, source, { leads: "unfinished", name: "  Second round  " });
    expect(copy).toMatchObject({ name: "Second round", status: "DRAFT", totalLeads: 9, suppressedCount: 2, pendingCount: 7 });
    const leads = await leadsOf(copy.id);
    expect(leads.map((l) => l.name)).toEqual(["Bob", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ivy", "Jo"]);
    expect(leads.filter((l) => l.status === "PENDING")).toHaveLength(copy.pendingCount);

    // The copy starts like any draft: its leads become dialable, its counter is what start recounts.
    const started = await changeCampaignStatus(t.id, copy.id, "start", { queuePrefix: prefix });
    expect(started).toMatchObject({ status: "RUNNING", pendingCount: 7 });
    await changeCampaignStatus(t.id, copy.id, "cancel", { queuePrefix: prefix });
  });

  it("names a long campaign's copy within the 120 characters a name may have", async () => {
    const t = await createTenant();
    const campaignId = await draft(t.id, "x".repeat(120), "phone\n+12125550100\n");
    const copy = await duplicateCampaign(t.id, campaignId, { leads: "all" });
    expect(copy.name).toBe(`${"x".repeat(113)} (copy)`);
  });

  it("refuses unfinished leads while calls may be in progress, and copies all of them meanwhile", async () => {
    const t = await createTenant();
    const campaignId = await draft(t.id, "Live", "phone\n+12125550100\n+13125550101\n");
    await changeCampaignStatus(t.id, campaignId, "start", { queuePrefix: prefix });
    await expect(duplicateCampaign(t.id, campaignId, { leads: "unfinished" })).rejects.toMatchObject({ code: "campaign_running" });
    expect((await duplicateCampaign(t.id, campaignId, { leads: "all" })).totalLeads).toBe(2);

    // Paused with one call still ringing: its outcome is not known yet.
    await changeCampaignStatus(t.id, campaignId, "pause", { queuePrefix: prefix });
    await pgPool().query(`UPDATE "Lead" SET status = 'DIALING' WHERE "campaignId" = $1 AND phone = '+12125550100'`, [campaignId]);
    await expect(duplicateCampaign(t.id, campaignId, { leads: "unfinished" })).rejects.toThrow(/1 call of this campaign is still in progress/);
    await pgPool().query(`UPDATE "Lead" SET status = 'COMPLETED' WHERE "campaignId" = $1 AND phone = '+12125550100'`, [campaignId]);
    expect((await duplicateCampaign(t.id, campaignId, { leads: "unfinished" })).totalLeads).toBe(1);
  });

  it("answers another tenant's campaign and an unknown id as not found, and creates nothing", async () => {
    const owner = await createTenant();
    const other = await createTenant();
    const source = await finishedCampaign(owner.id);
    await expect(duplicateCampaign(other.id, source, { leads: "all" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(duplicateCampaign(other.id, source, { leads: "unfinished" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(duplicateCampaign(owner.id, "c0000000000000000000000000000000", { leads: "all" })).rejects.toBeInstanceOf(NotFoundError);
    expect(await db.campaign.count({ where: { tenantId: other.id } })).toBe(0);
    expect(await db.campaign.count({ where: { tenantId: owner.id } })).toBe(1);
  });

  it("leaves no campaign, lead or window key behind when the copy fails midway", async () => {
    const t = await createTenant();
    const marker = uniqueId("fail-copy");
    const campaignId = await draft(t.id, "Doomed", `phone,name\n+12125550100,Ok\n+13125550101,${marker}\n`);
    // A trigger that fails the insert of the copied lead named `marker`, after the campaign row and the other copy were written.
    const fn = marker.replaceAll("-", "_");
    const pool = pgPool();
    await pool.query(`CREATE FUNCTION "${fn}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'copy failed on purpose'; END $$`);
    await pool.query(`CREATE TRIGGER "${fn}" BEFORE INSERT ON "Lead" FOR EACH ROW WHEN (NEW.name = '${marker}') EXECUTE FUNCTION "${fn}"()`);
    try {
      await expect(duplicateCampaign(t.id, campaignId, { leads: "all" })).rejects.toThrow(/copy failed on purpose/);
    } finally {
      await pool.query(`DROP TRIGGER "${fn}" ON "Lead"`);
      await pool.query(`DROP FUNCTION "${fn}"()`);
    }
    expect(await db.campaign.findMany({ where: { tenantId: t.id }, select: { id: true } })).toEqual([{ id: campaignId }]);
    expect(await db.lead.count({ where: { tenantId: t.id } })).toBe(2);
    // The import slot went with the transaction: the next copy goes through.
    expect((await duplicateCampaign(t.id, campaignId, { leads: "all" })).totalLeads).toBe(2);
  });
});

describe("archiving", () => {
  it("hides a campaign from the lists and the dashboard, keeps it readable and exportable, and brings it back", async () => {
    const t = await createTenant();
    const kept = await finishedCampaign(t.id, { name: "Kept" });
    const archived = await finishedCampaign(t.id, { name: "Old" });
    await db.campaign.update({ where: { id: archived }, data: { status: "COMPLETED", completedAt: new Date() } });

    const result = await archiveCampaign(t.id, archived);
    expect(result.archivedAt).toBeInstanceOf(Date);
    expect((await listCampaigns(t.id)).map((c) => c.id)).toEqual([kept]);
    expect((await listCampaigns(t.id, { archived: true })).map((c) => c.id)).toEqual([archived]);
    expect(await countArchivedCampaigns(t.id)).toBe(1);
    const dashboard = await tenantProgress(t.id);
    expect(dashboard.campaigns.map((c) => c.id)).toEqual([kept]);
    expect(dashboard.archivedCount).toBe(1);

    // Still opened by its URL and exported whole.
    expect(await getCampaign(t.id, archived)).toMatchObject({ name: "Old", status: "COMPLETED" });
    let csv = "";
    for await (const chunk of exportLeadsCsv(t.id, archived)) csv += chunk;
    expect(csv.trim().split("\r\n")).toHaveLength(1 + LEADS.length);
    // And duplicated: the usual way to run an old campaign again.
    expect((await duplicateCampaign(t.id, archived, { leads: "unfinished" })).totalLeads).toBe(9);

    // Archiving twice changes nothing, not even the date.
    expect((await archiveCampaign(t.id, archived)).archivedAt).toEqual(result.archivedAt);
    expect((await unarchiveCampaign(t.id, archived)).archivedAt).toBeNull();
    expect(await countArchivedCampaigns(t.id)).toBe(0);
    expect((await listCampaigns(t.id)).map((c) => c.name).sort()).toEqual(["Kept", "Old", "Old (copy)"]);
  });

  it("never starts or resumes an archived campaign; it may still be cancelled", async () => {
    const t = await createTenant();
    const drafted = await draft(t.id, "Draft", "phone\n+12125550100\n");
    await archiveCampaign(t.id, drafted);
    const refused = await changeCampaignStatus(t.id, drafted, "start", { queuePrefix: prefix }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ code: "campaign_archived", message: "Cannot start an archived campaign; unarchive it first." });
    expect(await getCampaign(t.id, drafted)).toMatchObject({ status: "DRAFT", startedAt: null });

    const paused = await finishedCampaign(t.id);
    await archiveCampaign(t.id, paused);
    await expect(changeCampaignStatus(t.id, paused, "resume", { queuePrefix: prefix })).rejects.toMatchObject({ code: "campaign_archived" });
    expect((await changeCampaignStatus(t.id, paused, "cancel", { queuePrefix: prefix })).status).toBe("CANCELLED");

    // Unarchived, it starts as any draft does.
    await unarchiveCampaign(t.id, drafted);
    expect((await changeCampaignStatus(t.id, drafted, "start", { queuePrefix: prefix })).status).toBe("RUNNING");
    await changeCampaignStatus(t.id, drafted, "cancel", { queuePrefix: prefix });
  });

  it("refuses a running campaign with a reason, and answers another tenant's campaign as not found", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const campaignId = await draft(t.id, "Running", "phone\n+12125550100\n");
    await changeCampaignStatus(t.id, campaignId, "start", { queuePrefix: prefix });
    const refused = await archiveCampaign(t.id, campaignId).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ code: "campaign_running", message: "Cannot archive a running campaign; pause or cancel it first, or let it complete." });
    expect((await getCampaign(t.id, campaignId)).archivedAt).toBeNull();

    await changeCampaignStatus(t.id, campaignId, "pause", { queuePrefix: prefix });
    await expect(archiveCampaign(other.id, campaignId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(unarchiveCampaign(other.id, campaignId)).rejects.toBeInstanceOf(NotFoundError);
    expect((await getCampaign(t.id, campaignId)).archivedAt).toBeNull();
    expect((await archiveCampaign(t.id, campaignId)).archivedAt).not.toBeNull();
  });

  it("lets exactly one of an archive and a start racing on a draft win", async () => {
    const t = await createTenant();
    for (let i = 0; i < 10; i++) {
      const campaignId = await draft(t.id, `Race ${i}`, "phone\n+12125550100\n");
      const [archived, started] = await Promise.allSettled([archiveCampaign(t.id, campaignId), changeCampaignStatus(t.id, campaignId, "start", { queuePrefix: prefix })]);
      const final = await getCampaign(t.id, campaignId);
      // Never both: an archived campaign is never running.
      expect(final.archivedAt !== null && final.status === "RUNNING").toBe(false);
      expect([archived.status, started.status].filter((s) => s === "fulfilled")).toHaveLength(1);
      if (final.status === "RUNNING") await changeCampaignStatus(t.id, campaignId, "cancel", { queuePrefix: prefix });
    }
  });
});

// Changing a campaign's calling schedule and time zone (updateCampaignSchedule): tenant-scoped, refused once the
// campaign is finished, stored as given, moving the leads that take their zone from the campaign, waking the
// scheduler for a running campaign.
import { Readable } from "node:stream";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { wakeChannel } from "../dispatch/wake";
import { env } from "../env";
import { ConflictError, NotFoundError } from "../errors";
import { importCampaign } from "../imports/import";
import { pgPool } from "../pg";
import { createTenant, uniqueId } from "../test/factories";
import { changeCampaignStatus, updateCampaignSchedule } from "./mutations";

const prefix = uniqueId("schedule");
const WEEKDAYS_9_TO_5 = { days: [5, 1, 2, 3, 4], start: "09:00", end: "17:00", startAt: "2026-12-03T15:00:00.000Z", endAt: "2026-12-18T23:00:00Z" };

// A lead whose zone comes from the file, one placed by its number (212 = New York), one the campaign places (toll-free).
const CSV = "phone,name,timezone\n+13125550102,File,Europe/London\n+12125550100,Phone,\n+18005550100,Campaign,\n";

async function importedCampaign(tenantId: string, timezone = "America/Chicago") {
  const { campaignId } = await importCampaign({ tenantId, options: { name: "Schedule", defaultCountry: "US", timezone }, source: Readable.from([Buffer.from(CSV)]) });
  return campaignId;
}

async function stored(campaignId: string) {
  const pool = pgPool();
  const { rows: [campaign] } = await pool.query(`SELECT status, timezone, "scheduleDays", "scheduleStart", "scheduleEnd", "startAt", "endAt" FROM "Campaign" WHERE id = $1`, [campaignId]);
  const { rows: leads } = await pool.query(`SELECT name, timezones, "zoneSource", "windowKey" FROM "Lead" WHERE "campaignId" = $1 ORDER BY line`, [campaignId]);
  const { rows: keys } = await pool.query(`SELECT key, country, zones FROM "CampaignWindowKey" WHERE "campaignId" = $1 ORDER BY key`, [campaignId]);
  return { campaign, leads, keys: keys.map((k) => k.key as string) };
}

describe("updateCampaignSchedule", () => {
  it("stores the schedule and zone, and moves the leads that take their zone from the campaign", async () => {
    const tenant = await createTenant();
    const id = await importedCampaign(tenant.id);
    const before = await stored(id);
    expect(before.leads.map((l) => [l.name, l.zoneSource, l.timezones])).toEqual([
      ["File", "FILE", ["Europe/London"]],
      ["Phone", "PHONE", ["America/New_York"]],
      ["Campaign", "CAMPAIGN", ["America/Chicago"]],
    ]);

    const updated = await updateCampaignSchedule(tenant.id, id, { timezone: "america/los_angeles", schedule: WEEKDAYS_9_TO_5 }, { queuePrefix: prefix });
    expect(updated).toMatchObject({ timezone: "America/Los_Angeles", scheduleDays: [1, 2, 3, 4, 5], scheduleStart: "09:00", scheduleEnd: "17:00", status: "DRAFT" });
    expect(updated.startAt?.toISOString()).toBe("2026-12-03T15:00:00.000Z");
    expect(updated.endAt?.toISOString()).toBe("2026-12-18T23:00:00.000Z");

    const after = await stored(id);
    expect(after.leads.map((l) => [l.name, l.timezones, l.windowKey])).toEqual([
      ["File", ["Europe/London"], before.leads[0].windowKey],
      ["Phone", ["America/New_York"], before.leads[1].windowKey],
      ["Campaign", ["America/Los_Angeles"], "US|America/Los_Angeles"],
    ]);
    // The scheduler claims by the keys it knows: the new one is among them.
    expect(after.keys).toContain("US|America/Los_Angeles");
  });

  it("keeps the zone when none is given, and clears hours, start and stop set to null", async () => {
    const tenant = await createTenant();
    const id = await importedCampaign(tenant.id, "Europe/Berlin");
    await updateCampaignSchedule(tenant.id, id, { schedule: WEEKDAYS_9_TO_5 });
    const cleared = await updateCampaignSchedule(tenant.id, id, { schedule: { days: [6, 7], start: null, end: null, startAt: null, endAt: null } });
    expect(cleared).toMatchObject({ timezone: "Europe/Berlin", scheduleDays: [6, 7], scheduleStart: null, scheduleEnd: null, startAt: null, endAt: null });
  });

  it("answers an unknown id and another tenant's campaign as not found, and leaves that campaign alone", async () => {
    const owner = await createTenant();
    const other = await createTenant();
    const id = await importedCampaign(owner.id);
    const before = await stored(id);
    await expect(updateCampaignSchedule(other.id, id, { timezone: "Asia/Tokyo", schedule: WEEKDAYS_9_TO_5 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateCampaignSchedule(owner.id, "c0000000000000000000000000000000", { schedule: WEEKDAYS_9_TO_5 })).rejects.toBeInstanceOf(NotFoundError);
    expect(await stored(id)).toEqual(before);
  });

  it("refuses a completed or cancelled campaign and changes nothing", async () => {
    const tenant = await createTenant();
    const done = await importedCampaign(tenant.id);
    await pgPool().query(`UPDATE "Campaign" SET status = 'COMPLETED', "completedAt" = now() WHERE id = $1`, [done]);
    const cancelled = await importedCampaign(tenant.id);
    await changeCampaignStatus(tenant.id, cancelled, "cancel", { queuePrefix: prefix });
    for (const id of [done, cancelled]) {
      const before = await stored(id);
      const err = await updateCampaignSchedule(tenant.id, id, { timezone: "Asia/Tokyo", schedule: WEEKDAYS_9_TO_5 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect(err).toMatchObject({ code: "campaign_finished", message: expect.stringMatching(/^The schedule of a (completed|cancelled) campaign cannot be changed\.$/) });
      expect(await stored(id)).toEqual(before);
    }
  });

  it("validates its input itself: an invalid schedule or zone changes nothing", async () => {
    const tenant = await createTenant();
    const id = await importedCampaign(tenant.id);
    const before = await stored(id);
    await expect(updateCampaignSchedule(tenant.id, id, { schedule: { ...WEEKDAYS_9_TO_5, end: "08:00" } })).rejects.toMatchObject({ name: "ZodError" });
    await expect(updateCampaignSchedule(tenant.id, id, { timezone: "Mars/Olympus", schedule: WEEKDAYS_9_TO_5 })).rejects.toMatchObject({ name: "ZodError" });
    expect(await stored(id)).toEqual(before);
  });

  it("wakes the scheduler for a running campaign, so a window the change opened dials at once, and not for a paused one", async () => {
    const tenant = await createTenant();
    const id = await importedCampaign(tenant.id);
    await changeCampaignStatus(tenant.id, id, "start", { queuePrefix: prefix });
    const wakes = await listenForWakes();
    try {
      await updateCampaignSchedule(tenant.id, id, { schedule: WEEKDAYS_9_TO_5 }, { queuePrefix: prefix });
      await expect.poll(() => wakes.count).toBe(1);
      await changeCampaignStatus(tenant.id, id, "pause", { queuePrefix: prefix });
      await updateCampaignSchedule(tenant.id, id, { schedule: { ...WEEKDAYS_9_TO_5, endAt: null } }, { queuePrefix: prefix });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(wakes.count).toBe(1);
    } finally {
      wakes.close();
    }
  });
});

async function listenForWakes() {
  const sub = new Redis(env().REDIS_URL, { maxRetriesPerRequest: null, enableReadyCheck: false });
  const wakes = { count: 0, close: () => sub.disconnect() };
  await sub.subscribe(wakeChannel(prefix));
  sub.on("message", () => wakes.count++);
  return wakes;
}

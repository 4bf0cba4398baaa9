// The browser's side of calling schedules: the upload form's schedule fields (POST /api/campaigns, signed in) and
// the campaign page's schedule form (updateCampaignScheduleAction). Field errors come back under the form's names.
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "../db";
import { workspace } from "../test/factories";

const session = vi.hoisted(() => ({ current: null as { uid: string; sv: number } | null }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<typeof import("next-auth")>()), getServerSession: async () => session.current }));
// Outside a Next request revalidatePath has no page to revalidate; which page an action refreshes is checked instead.
const revalidated = vi.hoisted(() => [] as string[]);
vi.mock("next/cache", () => ({ revalidatePath: (path: string) => void revalidated.push(path) }));

const { updateCampaignScheduleAction } = await import("./actions");
const { POST: uploadRoute } = await import("../../app/api/campaigns/route");

afterEach(() => {
  session.current = null;
});

const CSV = "phone,name\n+12125550100,Ada\n+18005550100,Toll free\n";
const FORM = { name: "Upload", defaultCountry: "US", phoneColumn: "phone", nameColumn: "name", timezoneColumn: "" };

describe("the upload form", () => {
  it("creates the campaign with the chosen zone and schedule, the start and stop read in that zone", async () => {
    const { tenant, owner } = await workspace("Upload");
    signIn(owner);
    const res = await uploadRoute(upload({ ...FORM, timezone: "America/Chicago", scheduleDays: "1,2,3,4,5", scheduleStart: "09:00", scheduleEnd: "17:00", startAt: "2026-12-03T09:00", endAt: "" }));
    expect(res.status).toBe(201);
    const { campaignId } = await res.json();
    const campaign = await db.campaign.findFirstOrThrow({ where: { id: campaignId, tenantId: tenant.id } });
    expect(campaign).toMatchObject({ timezone: "America/Chicago", scheduleDays: [1, 2, 3, 4, 5], scheduleStart: "09:00", scheduleEnd: "17:00", endAt: null });
    expect(campaign.startAt?.toISOString()).toBe("2026-12-03T15:00:00.000Z");
    // The toll-free number has no zone of its own: it takes the campaign's.
    const leads = await db.lead.findMany({ where: { campaignId }, orderBy: { line: "asc" }, select: { timezones: true, zoneSource: true } });
    expect(leads).toEqual([
      { timezones: ["America/New_York"], zoneSource: "PHONE" },
      { timezones: ["America/Chicago"], zoneSource: "CAMPAIGN" },
    ]);
  });

  it("answers bad schedule fields with 422 and their errors by field, and imports nothing", async () => {
    const { tenant, owner } = await workspace("Bad");
    signIn(owner);
    const res = await uploadRoute(upload({ ...FORM, timezone: "Mars/Olympus", scheduleDays: "", scheduleStart: "17:00", scheduleEnd: "", startAt: "", endAt: "" }));
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe("validation_failed");
    // An empty field is "not given": no day list means every day, so only the zone and the lone start are wrong.
    expect(error.fields).toEqual({ timezone: ["Not a time zone; use an IANA name such as America/Chicago"], scheduleEnd: ["Give both a start and an end time, or neither for all day"] });
    const order = await uploadRoute(upload({ ...FORM, timezone: "Europe/Paris", startAt: "2026-12-03T09:00", endAt: "2026-12-03T09:00" }));
    expect((await order.json()).error.fields).toEqual({ endAt: ["The automatic stop must be later than the scheduled start"] });
    expect(await db.campaign.count({ where: { tenantId: tenant.id } })).toBe(0);
  });
});

describe("the campaign page's schedule form", () => {
  it("saves the schedule for any member and refreshes the campaign page", async () => {
    const { tenant, owner, member } = await workspace("Edit");
    signIn(owner);
    const { campaignId } = await (await uploadRoute(upload({ ...FORM, timezone: "America/Chicago" }))).json();
    signIn(member);
    const fields = { timezone: "America/New_York", scheduleDays: "6,7", scheduleStart: "10:00", scheduleEnd: "14:00", startAt: "", endAt: "2026-12-20T18:00" };
    expect(await updateCampaignScheduleAction(tenant.id, campaignId, fields)).toEqual({ ok: true, data: undefined });
    expect(revalidated).toContain(`/t/${tenant.id}/campaigns/${campaignId}`);
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(campaign).toMatchObject({ timezone: "America/New_York", scheduleDays: [6, 7], scheduleStart: "10:00", scheduleEnd: "14:00", startAt: null });
    expect(campaign.endAt?.toISOString()).toBe("2026-12-20T23:00:00.000Z");
  });

  it("gives field errors under the form's names, and refuses a finished or foreign campaign", async () => {
    const { tenant, owner } = await workspace("EditBad");
    const other = await workspace("Other");
    signIn(owner);
    const { campaignId } = await (await uploadRoute(upload(FORM))).json();
    const bad = await updateCampaignScheduleAction(tenant.id, campaignId, { timezone: "UTC", scheduleDays: "", scheduleStart: "09:00", scheduleEnd: "08:00", startAt: "", endAt: "" });
    expect(bad).toEqual({
      ok: false,
      message: "Some fields need attention",
      fieldErrors: { scheduleDays: ["Pick at least one day"], scheduleEnd: ["The end time must be later than the start time"] },
    });

    signIn(other.owner);
    const { campaignId: theirs } = await (await uploadRoute(upload(FORM))).json();
    signIn(owner);
    // Their campaign under my tenant is simply not found; my campaign under their tenant is a 404 page.
    expect(await updateCampaignScheduleAction(tenant.id, theirs, { timezone: "Asia/Tokyo" })).toEqual({ ok: false, message: "Campaign not found" });
    await expect(updateCampaignScheduleAction(other.tenant.id, theirs, { timezone: "Asia/Tokyo" })).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: theirs } })).timezone).toBe("UTC");

    await db.campaign.update({ where: { id: campaignId }, data: { status: "COMPLETED" } });
    expect(await updateCampaignScheduleAction(tenant.id, campaignId, { timezone: "Asia/Tokyo" })).toEqual({ ok: false, message: "The schedule of a completed campaign cannot be changed." });
  });
});

function signIn(user: { id: string; sessionVersion: number }) {
  session.current = { uid: user.id, sv: user.sessionVersion };
}

/** The upload form as the browser sends it: the text fields, then the file. */
function upload(fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([CSV], { type: "text/csv" }), "leads.csv");
  return new Request("http://test/api/campaigns", { method: "POST", body: form });
}

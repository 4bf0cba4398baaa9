import { DateTime } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import { GET as listRoute, POST as createRoute } from "../../app/api/v1/campaigns/route";
import { GET as getRoute, PATCH as patchRoute } from "../../app/api/v1/campaigns/[id]/route";
import { POST as actionRoute } from "../../app/api/v1/campaigns/[id]/[action]/route";
import { GET as leadsRoute } from "../../app/api/v1/campaigns/[id]/leads/route";
import { GET as leadRoute } from "../../app/api/v1/campaigns/[id]/leads/[leadId]/route";
import { GET as attemptsRoute } from "../../app/api/v1/campaigns/[id]/attempts/route";
import { GET as attemptsExportRoute } from "../../app/api/v1/campaigns/[id]/attempts/export/route";
import { GET as exportRoute } from "../../app/api/v1/campaigns/[id]/export/route";
import { GET as rejectedRoute } from "../../app/api/v1/campaigns/[id]/rejected/route";
import { GET as openApiRoute } from "../../app/api/v1/openapi.json/route";
import { createApiKey, revokeApiKey } from "../api-keys/mutations";
import { createCampaignFromForm, createCampaignFromJson } from "../campaigns/create";
import { db } from "../db";
import { ImportError } from "../imports/schema";
import { closePgPool } from "../pg";
import { redis } from "../redis";
import { FREQUENCY_CAP_HOLD } from "../rules/holds";
import { uniqueId } from "../test/factories";
import { signUp } from "../tenants/mutations";

afterAll(async () => {
  await db.$disconnect();
  await closePgPool();
  redis().disconnect();
});

const BASIC_CSV = [
  "phone,name,timezone,city",
  "+12125550100,Ada Lovelace,America/New_York,New York",
  "(415) 555-0101,Grace Hopper,,San Francisco",
  "not a phone,Bad Row,,Nowhere",
  "+1 212 555 0100,Ada Again,,New York",
  "312.555.0102,Alan Turing,Mars/Olympus,Chicago",
  "617-555-0103,Edsger,,Boston",
].join("\n");

describe("authentication", () => {
  it("every route answers 401 without a key and with a revoked key", async () => {
    const { key, keyId, tenantId } = await newTenant("Auth");
    const campaignId = (await (await createJson(key, { name: "Auth", leads: [{ phone: "+12125550100" }] })).json()).campaign.id;
    await revokeApiKey(tenantId, keyId);
    for (const auth of [undefined, key, "fdk_live_0000000000000000000000000000000x"]) {
      const calls = [
        listRoute(request("GET", "/api/v1/campaigns", auth), ctx({})),
        createRoute(request("POST", "/api/v1/campaigns", auth, { json: { name: "x", leads: [{ phone: "+12125550100" }] } }), ctx({})),
        getRoute(request("GET", `/api/v1/campaigns/${campaignId}`, auth), ctx({ id: campaignId })),
        patchRoute(request("PATCH", `/api/v1/campaigns/${campaignId}`, auth, { json: { schedule: OPEN } }), ctx({ id: campaignId })),
        actionRoute(request("POST", `/api/v1/campaigns/${campaignId}/start`, auth), ctx({ id: campaignId, action: "start" })),
        leadsRoute(request("GET", `/api/v1/campaigns/${campaignId}/leads`, auth), ctx({ id: campaignId })),
        leadRoute(request("GET", `/api/v1/campaigns/${campaignId}/leads/1`, auth), ctx({ id: campaignId, leadId: "1" })),
        attemptsRoute(request("GET", `/api/v1/campaigns/${campaignId}/attempts`, auth), ctx({ id: campaignId })),
        attemptsExportRoute(request("GET", `/api/v1/campaigns/${campaignId}/attempts/export`, auth), ctx({ id: campaignId })),
        exportRoute(request("GET", `/api/v1/campaigns/${campaignId}/export`, auth), ctx({ id: campaignId })),
        rejectedRoute(request("GET", `/api/v1/campaigns/${campaignId}/rejected`, auth), ctx({ id: campaignId })),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status).toBe(401);
        expect((await res.json()).error.code).toBe("unauthorized");
      }
    }
    // Nothing was created or started by the refused calls.
    expect(await db.campaign.findMany({ where: { tenantId }, select: { status: true } })).toEqual([{ status: "DRAFT" }]);
  });
});

describe("POST /api/v1/campaigns", () => {
  it("creates a campaign from a multipart CSV upload, streaming the file into the import", async () => {
    const { key } = await newTenant("Upload");
    const res = await createRoute(request("POST", "/api/v1/campaigns", key, { form: { name: "Spring outreach", defaultCountry: "us", file: BASIC_CSV } }), ctx({}));
    expect(res.status).toBe(201);
    const body = await res.json();
    // Alan Turing's "Mars/Olympus" is no time zone: he is imported all the same, and the result says what was ignored.
    expect(body.import).toEqual({ imported: 4, rejected: 1, duplicates: 1, suppressed: 0, ignoredTimeZones: 1, ignoredTimeZoneSamples: [{ line: 6, value: "Mars/Olympus" }] });
    expect(body.campaign).toMatchObject({ name: "Spring outreach", status: "DRAFT", defaultCountry: "US", totalLeads: 4, rejectedCount: 1, duplicateCount: 1, startedAt: null });
    expect(new Date(body.campaign.createdAt).toISOString()).toBe(body.campaign.createdAt);
    // His zone comes from his Chicago number instead; Ada's from the file.
    const { leads } = await (await leadsRoute(request("GET", `/api/v1/campaigns/${body.campaign.id}/leads`, key), ctx({ id: body.campaign.id }))).json();
    const zones = Object.fromEntries(leads.map((l: { name: string; timezone: string | null; timezones: string[]; zoneSource: string }) => [l.name, [l.timezone, l.timezones, l.zoneSource]]));
    expect(zones["Alan Turing"]).toEqual([null, ["America/Chicago"], "PHONE"]);
    expect(zones["Ada Lovelace"]).toEqual(["America/New_York", ["America/New_York"], "FILE"]);
  });

  it("uses the column names it is given", async () => {
    const { key, tenantId } = await newTenant("Mapping");
    // Germany is outside the platform's default destinations (US, CA); an admin allowed it for this tenant.
    await db.tenant.update({ where: { id: tenantId }, data: { allowedCountries: ["DE"] } });
    const csv = "Kontakt;Wer;Stadt\n+4930123456;Max;Berlin\n";
    const res = await createRoute(request("POST", "/api/v1/campaigns", key, { form: { name: "DE", defaultCountry: "DE", phoneColumn: "Kontakt", nameColumn: "Wer", file: csv } }), ctx({}));
    expect(res.status).toBe(201);
    const { campaign } = await res.json();
    const { leads } = await (await leadsRoute(request("GET", `/api/v1/campaigns/${campaign.id}/leads`, key), ctx({ id: campaign.id }))).json();
    expect(leads).toMatchObject([{ phone: "+4930123456", name: "Max", variables: { Stadt: "Berlin" } }]);
  });

  it("creates a campaign from JSON leads through the same import (normalised, deduplicated, rejected rows kept)", async () => {
    const { key } = await newTenant("Json");
    const res = await createJson(key, {
      name: "JSON campaign",
      leads: [
        { phone: "(415) 555-0101", name: "Grace", timezone: "america/los_angeles", variables: { plan: "gold", seats: 3, vip: true, note: null } },
        { phone: "+1 415 555 0101", name: "Grace again" },
        { phone: "12", name: "Too short" },
        { phone: "+12125550100", variables: { "a;b;c": "semicolons in a name", plan: "silver" } },
      ],
    });
    expect(res.status).toBe(201);
    const { campaign, import: counts } = await res.json();
    expect(counts).toEqual({ imported: 2, rejected: 1, duplicates: 1, suppressed: 0, ignoredTimeZones: 0, ignoredTimeZoneSamples: [] });
    expect(campaign.defaultCountry).toBe("US");
    const { leads } = await (await leadsRoute(request("GET", `/api/v1/campaigns/${campaign.id}/leads`, key), ctx({ id: campaign.id }))).json();
    expect(leads).toMatchObject([
      // null and absent variables are empty cells, which are not stored.
      { line: 2, phone: "+14155550101", name: "Grace", timezone: "America/Los_Angeles", variables: { plan: "gold", seats: "3", vip: "true" } },
      { line: 5, phone: "+12125550100", name: null, timezone: null, variables: { plan: "silver", "a;b;c": "semicolons in a name" } },
    ]);
    const rejected = await (await rejectedRoute(request("GET", `/api/v1/campaigns/${campaign.id}/rejected`, key), ctx({ id: campaign.id }))).text();
    expect(rejected.split("\r\n")[1]).toMatch(/^4,/);
  });

  it("answers 422 with the field errors for a bad JSON body, and creates nothing", async () => {
    const { key, tenantId } = await newTenant("Bad");
    const cases: [unknown, string][] = [
      [{ name: "", leads: [] }, "name"],
      [{ name: "x", leads: [] }, "leads"],
      [{ name: "x", leads: [{ phone: "" }] }, "leads.0.phone"],
      [{ name: "x", defaultCountry: "ZZ", leads: [{ phone: "+12125550100" }] }, "defaultCountry"],
      [{ name: "x", leads: [{ phone: "+12125550100", variables: { phone: "clash" } }] }, "leads.0.variables.phone"],
    ];
    for (const [json, field] of cases) {
      const res = await createJson(key, json);
      expect(res.status).toBe(422);
      const { error } = await res.json();
      expect(error.code).toBe("validation_failed");
      expect(Object.keys(error.fields)).toContain(field);
    }
    const notJson = await createRoute(request("POST", "/api/v1/campaigns", key, { raw: "{name:", contentType: "application/json" }), ctx({}));
    expect(notJson.status).toBe(422);
    const noName = await createRoute(request("POST", "/api/v1/campaigns", key, { form: { file: BASIC_CSV } }), ctx({}));
    expect(noName.status).toBe(422);
    expect((await noName.json()).error.fields.name).toBeDefined();
    expect(await db.campaign.count({ where: { tenantId } })).toBe(0);
  });

  it("answers 422 with the import's code and line for a file that cannot be imported", async () => {
    const { key, tenantId } = await newTenant("NoPhone");
    const res = await createRoute(request("POST", "/api/v1/campaigns", key, { form: { name: "No phone", file: "name,city\nAda,London\n" } }), ctx({}));
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatchObject({ code: "missing_phone_column", line: 1 });
    const noFile = await createRoute(request("POST", "/api/v1/campaigns", key, { form: { name: "No file" } }), ctx({}));
    expect(noFile.status).toBe(422);
    expect(await db.campaign.count({ where: { tenantId } })).toBe(0);
  });

  it("answers 415 for other content types", async () => {
    const { key } = await newTenant("Type");
    const res = await createRoute(request("POST", "/api/v1/campaigns", key, { raw: BASIC_CSV, contentType: "text/csv" }), ctx({}));
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe("unsupported_media_type");
  });

  it("answers 413 for an upload whose Content-Length is over IMPORT_MAX_BYTES, without reading it", async () => {
    const { key, tenantId } = await newTenant("Huge");
    const size = 50 * 1024 * 1024 + 300 * 1024;
    const res = await createRoute(
      request("POST", "/api/v1/campaigns", key, { raw: new Uint8Array(size), contentType: "multipart/form-data; boundary=x", headers: { "content-length": String(size) } }),
      ctx({}),
    );
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({ code: "too_large", message: expect.stringContaining("50 MB") });
    expect(await db.campaign.count({ where: { tenantId } })).toBe(0);
  });

  it("answers 413 for a streamed upload (no Content-Length) once it passes IMPORT_MAX_BYTES, and keeps nothing", async () => {
    const { key, tenantId } = await newTenant("Stream");
    // Long rows keep the test quick: 60 lines of 900 KB each (54 MB), the first one a valid lead.
    const row = new TextEncoder().encode(`+12125550100,Lead,${"x".repeat(900_000)}\n`);
    const body = multipartStream({ name: "Streamed" }, "phone,name,notes\n", row, 60);
    const res = await createRoute(request("POST", "/api/v1/campaigns", key, { raw: body.stream, contentType: body.contentType }), ctx({}));
    expect(res.status).toBe(413);
    expect((await res.json()).error).toEqual({ code: "too_large", message: "file is larger than 50 MB; split it into smaller files" });
    expect(await db.campaign.count({ where: { tenantId } })).toBe(0);
  });
});

describe("size limits in lib (the route passes IMPORT_MAX_BYTES)", () => {
  it("a streamed upload without Content-Length stops at the byte limit and leaves nothing behind", async () => {
    const { tenantId } = await newTenant("Limit");
    const csv = `phone,name\n${Array.from({ length: 200 }, (_, i) => `+1212555${String(i).padStart(4, "0")},Lead ${i}`).join("\n")}\n`;
    const req = request("POST", "/api/v1/campaigns", undefined, { form: { name: "Too big", file: csv } });
    const input = { tenantId, contentType: req.headers.get("content-type")!, body: req.body, limits: { maxBytes: 2048 } };
    const err = await createCampaignFromForm(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).code).toBe("too_large");
    expect(await db.campaign.count({ where: { tenantId } })).toBe(0);
  });

  it("JSON leads share the import's limits and its all-or-nothing transaction", async () => {
    const { tenantId } = await newTenant("JsonLimit");
    const leads = Array.from({ length: 5 }, (_, i) => ({ phone: `+1212555010${i}` }));
    const tooMany = await createCampaignFromJson({ tenantId, contentType: "application/json", body: jsonBody({ name: "x", leads }), limits: { maxRows: 3 } }).catch((e: unknown) => e);
    expect((tooMany as ImportError).code).toBe("too_many_rows");
    const tooLarge = await createCampaignFromJson({ tenantId, contentType: "application/json", body: jsonBody({ name: "x", leads }), limits: { maxBytes: 64 } }).catch((e: unknown) => e);
    expect((tooLarge as ImportError).code).toBe("too_large");
    expect(await db.campaign.count({ where: { tenantId } })).toBe(0);
  });
});

describe("reading campaigns", () => {
  it("lists, gets with counts per status, and pages through leads with a cursor", async () => {
    const { key } = await newTenant("Read");
    const first = await (await createJson(key, { name: "First", leads: [{ phone: "+12125550100" }] })).json();
    const leads = Array.from({ length: 5 }, (_, i) => ({ phone: `+1415555010${i}`, name: `Lead ${i}` }));
    // Calls from 10:00 to 11:00 the lead's time, from three days on: every lead waits, and the first opening is known.
    const startAt = DateTime.utc().plus({ days: 3 }).startOf("day");
    const second = await (await createJson(key, { name: "Second", leads, schedule: { ...OPEN, start: "10:00", end: "11:00", startAt: startAt.toISO() } })).json();
    const id = second.campaign.id;

    const list = await (await listRoute(request("GET", "/api/v1/campaigns", key), ctx({}))).json();
    expect(list.campaigns.map((c: { id: string }) => c.id)).toEqual([id, first.campaign.id]);

    const detail = await getRoute(request("GET", `/api/v1/campaigns/${id}`, key), ctx({ id }));
    expect(detail.status).toBe(200);
    const { campaign } = await detail.json();
    expect(campaign).toMatchObject({ id, name: "Second", totalLeads: 5, maxAttempts: 3, retryOutcomes: ["NO_ANSWER", "BUSY"] });
    expect(campaign.counts).toMatchObject({ PENDING: 5, COMPLETED: 0, CANCELLED: 0 });
    // Why they wait: all five pending, outside their calling window (San Francisco numbers) until its first opening.
    const local = startAt.setZone("America/Los_Angeles");
    const opens = local.set({ hour: 10, minute: 0, second: 0, millisecond: 0 }).plus({ days: local.hour >= 10 ? 1 : 0 });
    expect(campaign.waiting).toEqual({
      insideWindow: 0,
      outsideWindow: 5,
      nextOpening: { at: opens.toUTC().toISO(), zone: "America/Los_Angeles", localTime: "10:00" },
      held: 0,
      frequencyCapped: 0,
      numberInUse: 0,
      frequencyCapReleaseAt: null,
      scheduledRetries: 0,
      suppressed: 0,
    });

    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const res = await leadsRoute(request("GET", `/api/v1/campaigns/${id}/leads?limit=2${cursor ? `&cursor=${cursor}` : ""}`, key), ctx({ id }));
      expect(res.status).toBe(200);
      const page: { leads: { id: string; name: string }[]; nextCursor: string | null } = await res.json();
      expect(page.leads.length).toBeLessThanOrEqual(2);
      expect(typeof page.leads[0]!.id).toBe("string");
      seen.push(...page.leads.map((l) => l.name));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(leads.map((l) => l.name));
    const filtered = await (await leadsRoute(request("GET", `/api/v1/campaigns/${id}/leads?status=COMPLETED&status=`, key), ctx({ id }))).json();
    expect(filtered).toEqual({ leads: [], nextCursor: null });
  });

  it("counts leads held by a frequency cap apart from those whose number another campaign is calling, and from retries", async () => {
    const { key, tenantId } = await newTenant("Held");
    await db.tenant.update({ where: { id: tenantId }, data: { callsPer24h: 3, callsPer30d: 4 } });
    const leads = Array.from({ length: 5 }, (_, i) => ({ phone: `+1212555020${i}` }));
    const { campaign: created } = await (await createJson(key, { name: "Held", leads })).json();
    const soon = new Date(Date.now() + 2 * 3_600_000);
    const later = new Date(Date.now() + 20 * 24 * 3_600_000);
    const hold = (phone: string, data: { holdReason: string | null; nextAttemptAt: Date }) => db.lead.updateMany({ where: { campaignId: created.id, phone }, data: { status: "SCHEDULED", ...data } });
    await hold("+12125550200", { holdReason: `${FREQUENCY_CAP_HOLD} the most calls to this number in 30 days`, nextAttemptAt: later });
    await hold("+12125550201", { holdReason: `${FREQUENCY_CAP_HOLD} the most calls to this number in 24 hours`, nextAttemptAt: soon });
    await hold("+12125550202", { holdReason: "another of your campaigns is calling this number", nextAttemptAt: new Date(Date.now() + 60_000) });
    await hold("+12125550203", { holdReason: null, nextAttemptAt: new Date(Date.now() + 600_000) });

    const { campaign } = await (await getRoute(request("GET", `/api/v1/campaigns/${created.id}`, key), ctx({ id: created.id }))).json();
    expect(campaign.counts).toMatchObject({ PENDING: 1, SCHEDULED: 4 });
    expect(campaign.waiting).toMatchObject({ held: 3, frequencyCapped: 2, numberInUse: 1, frequencyCapReleaseAt: soon.toISOString(), scheduledRetries: 1, suppressed: 0 });
  });

  it("answers 422 for a bad leads query", async () => {
    const { key } = await newTenant("Query");
    const { campaign } = await (await createJson(key, { name: "Q", leads: [{ phone: "+12125550100" }] })).json();
    for (const [query, field] of [["limit=0", "limit"], ["limit=501", "limit"], ["status=RINGING", "status"], ["cursor=abc", "cursor"]]) {
      const res = await leadsRoute(request("GET", `/api/v1/campaigns/${campaign.id}/leads?${query}`, key), ctx({ id: campaign.id }));
      expect(res.status).toBe(422);
      expect(Object.keys((await res.json()).error.fields)).toEqual([field]);
    }
  });

  it("exports the results as a CSV attachment with formula cells neutralised", async () => {
    const { key } = await newTenant("Export");
    const { campaign } = await (
      await createJson(key, { name: "Export", leads: [{ phone: "+12125550100", name: "@admin", variables: { link: '=HYPERLINK("http://evil.example","click")', plan: "gold" } }] })
    ).json();
    const res = await exportRoute(request("GET", `/api/v1/campaigns/${campaign.id}/export`, key), ctx({ id: campaign.id }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
    const [header, row] = (await res.text()).split("\r\n");
    expect(header).toBe(
      "line,phone,name,timezone,status,attempts,last_outcome,last_duration_sec,next_attempt_at,timezones,zone_source,suppressed_reason,first_dialed_at,last_dialed_at,answered_at,ended_at,total_attempts,last_provider_call_id,link,plan",
    );
    expect(row).toBe(`2,+12125550100,'@admin,,pending,0,,,,America/New_York,phone,,,,,,0,,"'=HYPERLINK(""http://evil.example"",""click"")",gold`);
  });

  it("downloads the rejected rows as CSV", async () => {
    const { key } = await newTenant("Rejected");
    const { campaign } = await (await createRoute(request("POST", "/api/v1/campaigns", key, { form: { name: "R", file: BASIC_CSV } }), ctx({}))).json();
    const res = await rejectedRoute(request("GET", `/api/v1/campaigns/${campaign.id}/rejected`, key), ctx({ id: campaign.id }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0]).toBe("line,reason,raw");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(["4"]);
  });
});

describe("calling schedule", () => {
  it("creates a campaign with the time zone and schedule of the form fields, start and stop read in that zone", async () => {
    const { key } = await newTenant("FormSchedule");
    const form = { name: "Scheduled", timezone: "America/Chicago", scheduleDays: "1,2,3,4,5", scheduleStart: "09:00", scheduleEnd: "17:00", startAt: "2026-12-03T09:00", endAt: "2026-12-18T17:00", file: BASIC_CSV };
    const res = await createRoute(request("POST", "/api/v1/campaigns", key, { form }), ctx({}));
    expect(res.status).toBe(201);
    const { campaign } = await res.json();
    expect(campaign).toMatchObject({
      timezone: "America/Chicago",
      schedule: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00", startAt: "2026-12-03T15:00:00.000Z", endAt: "2026-12-18T23:00:00.000Z" },
    });
    // A campaign without schedule fields calls every day, all day, in UTC (the platform's hours still apply).
    const plain = await (await createRoute(request("POST", "/api/v1/campaigns", key, { form: { name: "Plain", file: BASIC_CSV } }), ctx({}))).json();
    expect(plain.campaign).toMatchObject({ timezone: "UTC", schedule: { days: [1, 2, 3, 4, 5, 6, 7], start: null, end: null, startAt: null, endAt: null } });
  });

  it("answers bad schedule fields with 422 and the field errors, and creates nothing", async () => {
    const { key, tenantId } = await newTenant("FormBad");
    const form = { name: "Bad", timezone: "Mars/Olympus", scheduleDays: "0,1", scheduleStart: "18:00", scheduleEnd: "09:00", startAt: "next week", file: BASIC_CSV };
    const res = await createRoute(request("POST", "/api/v1/campaigns", key, { form }), ctx({}));
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe("validation_failed");
    expect(Object.keys(error.fields).sort()).toEqual(["scheduleDays", "scheduleEnd", "timezone"]);
    const order = await createRoute(request("POST", "/api/v1/campaigns", key, { form: { name: "Order", timezone: "UTC", startAt: "2026-12-03T09:00", endAt: "2026-12-03T08:00", file: BASIC_CSV } }), ctx({}));
    expect(order.status).toBe(422);
    expect((await order.json()).error.fields).toEqual({ endAt: ["The automatic stop must be later than the scheduled start"] });
    expect(await db.campaign.count({ where: { tenantId } })).toBe(0);
  });

  it("PATCH replaces the schedule (and the zone when given); GET shows it", async () => {
    const { key } = await newTenant("Patch");
    const { campaign } = await (await createJson(key, { name: "Patch", timezone: "America/Chicago", leads: [{ phone: "+12125550100" }] })).json();
    const schedule = { days: [6, 7], start: "10:00", end: "14:00", startAt: "2026-12-05T10:00:00-06:00", endAt: null };
    const res = await patchRoute(request("PATCH", `/api/v1/campaigns/${campaign.id}`, key, { json: { schedule } }), ctx({ id: campaign.id }));
    expect(res.status).toBe(200);
    const expected = { timezone: "America/Chicago", schedule: { ...schedule, startAt: "2026-12-05T16:00:00.000Z" } };
    expect((await res.json()).campaign).toMatchObject(expected);
    const { campaign: after } = await (await getRoute(request("GET", `/api/v1/campaigns/${campaign.id}`, key), ctx({ id: campaign.id }))).json();
    expect(after).toMatchObject(expected);
    const moved = await patchRoute(request("PATCH", `/api/v1/campaigns/${campaign.id}`, key, { json: { timezone: "Europe/London", schedule: OPEN } }), ctx({ id: campaign.id }));
    expect((await moved.json()).campaign).toMatchObject({ timezone: "Europe/London", schedule: OPEN });
  });

  it("PATCH answers 422 with the field errors for a bad body, 409 for a finished campaign, and changes nothing", async () => {
    const { key } = await newTenant("PatchBad");
    const { campaign } = await (await createJson(key, { name: "PatchBad", leads: [{ phone: "+12125550100" }] })).json();
    const patch = (body: { json: unknown } | { raw: BodyInit; contentType: string }) => patchRoute(request("PATCH", `/api/v1/campaigns/${campaign.id}`, key, body), ctx({ id: campaign.id }));
    const cases: [unknown, string[]][] = [
      [{}, ["schedule"]],
      [{ timezone: "Nowhere/Special", schedule: OPEN }, ["timezone"]],
      [{ schedule: { ...OPEN, days: [] } }, ["schedule.days"]],
      [{ schedule: { ...OPEN, start: "09:00" } }, ["schedule.end"]],
      [{ schedule: { ...OPEN, start: "25:00", end: "26:00" } }, ["schedule.end", "schedule.start"]],
      [{ schedule: { ...OPEN, startAt: "2026-12-05T10:00:00", endAt: null } }, ["schedule.startAt"]],
      [{ schedule: { ...OPEN, startAt: "2026-12-05T10:00:00Z", endAt: "2026-12-05T09:00:00Z" } }, ["schedule.endAt"]],
    ];
    for (const [json, fields] of cases) {
      const res = await patch({ json });
      expect(res.status, JSON.stringify(json)).toBe(422);
      const { error } = await res.json();
      expect(error.code).toBe("validation_failed");
      expect(Object.keys(error.fields).sort(), JSON.stringify(json)).toEqual(fields);
    }
    expect((await patch({ raw: "{schedule:", contentType: "application/json" })).status).toBe(422);

    await actionRoute(request("POST", `/api/v1/campaigns/${campaign.id}/cancel`, key), ctx({ id: campaign.id, action: "cancel" }));
    const finished = await patch({ json: { schedule: { ...OPEN, days: [1] } } });
    expect(finished.status).toBe(409);
    expect((await finished.json()).error).toEqual({ code: "campaign_finished", message: "The schedule of a cancelled campaign cannot be changed." });
    const { campaign: after } = await (await getRoute(request("GET", `/api/v1/campaigns/${campaign.id}`, key), ctx({ id: campaign.id }))).json();
    expect(after).toMatchObject({ status: "CANCELLED", timezone: "UTC", schedule: OPEN });
  });
});

describe("lead zones and do-not-call reasons", () => {
  it("are in the lead objects and in the results export", async () => {
    const { key, tenantId } = await newTenant("Zones");
    await db.suppressedNumber.create({ data: { tenantId, phone: "+13125550102", reason: "asked by email" } });
    const leads = [
      { phone: "+12125550100", timezone: "Europe/London" },
      { phone: "+13125550102" },
      { phone: "+18005550100" },
    ];
    const { campaign } = await (await createJson(key, { name: "Zones", timezone: "America/Denver", leads })).json();
    const page = await (await leadsRoute(request("GET", `/api/v1/campaigns/${campaign.id}/leads`, key), ctx({ id: campaign.id }))).json();
    expect(page.leads.map((l: Record<string, unknown>) => ({ timezones: l.timezones, zoneSource: l.zoneSource, status: l.status, suppressedReason: l.suppressedReason }))).toEqual([
      { timezones: ["Europe/London"], zoneSource: "FILE", status: "PENDING", suppressedReason: null },
      { timezones: ["America/Chicago"], zoneSource: "PHONE", status: "SUPPRESSED", suppressedReason: "on your do-not-call list: asked by email" },
      { timezones: ["America/Denver"], zoneSource: "CAMPAIGN", status: "PENDING", suppressedReason: null },
    ]);

    const csv = await (await exportRoute(request("GET", `/api/v1/campaigns/${campaign.id}/export`, key), ctx({ id: campaign.id }))).text();
    const rows = csv.trim().split("\r\n").map((line) => line.split(","));
    const header = rows[0]!;
    const column = (name: string) => rows.slice(1).map((r) => r[header.indexOf(name)]);
    expect(column("timezones")).toEqual(["Europe/London", "America/Chicago", "America/Denver"]);
    expect(column("zone_source")).toEqual(["file", "phone", "campaign"]);
    expect(column("suppressed_reason")).toEqual(["", "on your do-not-call list: asked by email", ""]);
    expect(column("status")).toEqual(["pending", "suppressed", "pending"]);
  });
});

describe("lifecycle actions", () => {
  it("starts, pauses, resumes and cancels; a cancelled campaign cannot be started (409)", async () => {
    const { key } = await newTenant("Life");
    const { campaign } = await (await createJson(key, { name: "Life", leads: [{ phone: "+12125550100" }, { phone: "+12125550101" }] })).json();
    const act = (action: string) => actionRoute(request("POST", `/api/v1/campaigns/${campaign.id}/${action}`, key), ctx({ id: campaign.id, action }));

    for (const [action, status] of [["start", "RUNNING"], ["pause", "PAUSED"], ["resume", "RUNNING"], ["cancel", "CANCELLED"]] as const) {
      const res = await act(action);
      expect(res.status).toBe(200);
      expect((await res.json()).campaign.status).toBe(status);
    }
    const again = await act("start");
    expect(again.status).toBe(409);
    expect((await again.json()).error).toEqual({ code: "invalid_transition", message: "Cannot start a cancelled campaign." });
    const unknown = await act("restart");
    expect(unknown.status).toBe(404);
    const { campaign: after } = await (await getRoute(request("GET", `/api/v1/campaigns/${campaign.id}`, key), ctx({ id: campaign.id }))).json();
    expect(after.startedAt).not.toBeNull();
    expect(after.counts.CANCELLED).toBe(2);
  });
});

describe("tenant isolation", () => {
  it("every /{id} route answers 404 for an unknown id and for another tenant's campaign, which stays untouched", async () => {
    const a = await newTenant("IsoA");
    const b = await newTenant("IsoB");
    const { campaign } = await (await createRoute(request("POST", "/api/v1/campaigns", a.key, { form: { name: "A's", file: BASIC_CSV } }), ctx({}))).json();
    const before = await snapshot(campaign.id);

    for (const [key, id] of [[b.key, campaign.id], [a.key, "c0000000000000000000000000000000"]]) {
      const calls = [
        getRoute(request("GET", `/api/v1/campaigns/${id}`, key), ctx({ id })),
        patchRoute(request("PATCH", `/api/v1/campaigns/${id}`, key, { json: { timezone: "Asia/Tokyo", schedule: OPEN } }), ctx({ id })),
        ...["start", "pause", "resume", "cancel"].map((action) => actionRoute(request("POST", `/api/v1/campaigns/${id}/${action}`, key), ctx({ id, action }))),
        leadsRoute(request("GET", `/api/v1/campaigns/${id}/leads`, key), ctx({ id })),
        attemptsRoute(request("GET", `/api/v1/campaigns/${id}/attempts`, key), ctx({ id })),
        attemptsExportRoute(request("GET", `/api/v1/campaigns/${id}/attempts/export`, key), ctx({ id })),
        exportRoute(request("GET", `/api/v1/campaigns/${id}/export`, key), ctx({ id })),
        rejectedRoute(request("GET", `/api/v1/campaigns/${id}/rejected`, key), ctx({ id })),
      ];
      for (const res of calls) {
        const r = await res;
        expect(r.status).toBe(404);
        expect((await r.json()).error.code).toBe("not_found");
      }
    }
    const listB = await (await listRoute(request("GET", "/api/v1/campaigns", b.key), ctx({}))).json();
    expect(listB.campaigns).toEqual([]);
    expect(await snapshot(campaign.id)).toEqual(before);
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("serves the OpenAPI 3.1 document without a key", async () => {
    const res = openApiRoute();
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/v1/campaigns/{id}/export");
  });
});

// Helpers

const OPEN = { days: [1, 2, 3, 4, 5, 6, 7], start: null, end: null, startAt: null, endAt: null };

async function newTenant(label: string) {
  const { tenant } = await signUp({ organisation: `${label} ${uniqueId()}`, name: `${label} Owner`, email: `${uniqueId(label.toLowerCase())}@example.test`, password: "correct horse battery" });
  const { key, record } = await createApiKey(tenant.id, "tests");
  return { tenantId: tenant.id, key, keyId: record.id };
}

type Body = { json: unknown } | { form: Record<string, string> } | { raw: BodyInit; contentType: string; headers?: Record<string, string> };

function request(method: string, path: string, key: string | undefined, body?: Body) {
  const headers = new Headers(key ? { authorization: `Bearer ${key}` } : {});
  let payload: BodyInit | undefined;
  if (body && "json" in body) {
    headers.set("content-type", "application/json");
    payload = JSON.stringify(body.json);
  } else if (body && "form" in body) {
    // Text fields first, the file last: the order curl -F and browsers keep.
    const form = new FormData();
    for (const [name, value] of Object.entries(body.form)) {
      if (name === "file") form.append("file", new Blob([value], { type: "text/csv" }), "leads.csv");
      else form.append(name, value);
    }
    payload = form;
  } else if (body) {
    headers.set("content-type", body.contentType);
    for (const [name, value] of Object.entries(body.headers ?? {})) headers.set(name, value);
    payload = body.raw;
  }
  return new Request(`http://test${path}`, { method, headers, body: payload, duplex: "half" } as RequestInit);
}

/** A multipart body streamed chunk by chunk, without a Content-Length, the way a large upload arrives. */
function multipartStream(fields: Record<string, string>, header: string, row: Uint8Array, rows: number) {
  const boundary = `----fairdial${uniqueId()}`;
  const encoder = new TextEncoder();
  const text = Object.entries(fields).map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const head = `${text.join("")}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n${header}`;
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(head));
    },
    pull(controller) {
      if (sent++ < rows) return controller.enqueue(row);
      controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
      controller.close();
    },
  });
  return { stream, contentType: `multipart/form-data; boundary=${boundary}` };
}

function ctx<P>(params: P) {
  return { params: Promise.resolve(params) };
}

function createJson(key: string, json: unknown) {
  return createRoute(request("POST", "/api/v1/campaigns", key, { json }), ctx({}));
}

function jsonBody(json: unknown) {
  return new Response(JSON.stringify(json)).body;
}

async function snapshot(campaignId: string) {
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: campaignId } });
  const leads = await db.lead.findMany({ where: { campaignId }, orderBy: { id: "asc" }, select: { id: true, status: true, attempts: true, updatedAt: true } });
  return { campaign, leads };
}

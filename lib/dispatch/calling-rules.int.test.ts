// Calling rules with the real engine (scheduler + callers, simulated provider) on a fake clock: a campaign with
// leads in five US zones run across a day dials each lead only inside its local 08:00–21:00, none on a
// do-not-call list; a job that waited in the queue past the window's close is not dialed; a retry that comes due
// outside the window waits for it.
import { Readable } from "node:stream";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { changeCampaignStatus } from "../campaigns/mutations";
import { importCampaign } from "../imports/import";
import { pgPool } from "../pg";
import { DEFAULT_COUNTRY_RULES, countryRules } from "../rules/presets";
import { isDialable } from "../rules/windows";
import { createTenant } from "../test/factories";
import { EngineState } from "./engine-state";
import { startEngine, waitFor, type Engine } from "../test/engine-harness";

let engine: Engine | null = null;
const campaigns: { tenantId: string; id: string }[] = [];

beforeAll(async () => {
  // Campaigns other suites left running would be dispatched by these schedulers too; these tests own the engine.
  await pgPool().query(`UPDATE "Campaign" SET status = 'CANCELLED' WHERE status IN ('RUNNING', 'PAUSED')`);
});

afterEach(async () => {
  await engine?.stop();
  engine = null;
  for (const c of campaigns.splice(0)) await changeCampaignStatus(c.tenantId, c.id, "cancel").catch(() => undefined);
});

/** US and CA 08:00–21:00 local, as a fresh install ships them (the test database has none; see scripts/test-platform.ts). */
const RULES = countryRules(DEFAULT_COUNTRY_RULES);
const allCompleted = { outcomeRates: { COMPLETED: 1, VOICEMAIL: 0, NO_ANSWER: 0, BUSY: 0, FAILED: 0 } };
const allNoAnswer = { outcomeRates: { COMPLETED: 0, VOICEMAIL: 0, NO_ANSWER: 1, BUSY: 0, FAILED: 0 } };

/** Area codes and the zones libphonenumber puts them in (605: South Dakota spans Mountain and Central). */
const AREAS = [
  { npa: "212", zones: ["America/New_York"] },
  { npa: "312", zones: ["America/Chicago"] },
  { npa: "605", zones: ["America/Denver", "America/North_Dakota/Center"] },
  { npa: "213", zones: ["America/Los_Angeles"] },
  { npa: "808", zones: ["Pacific/Honolulu"] },
];

function clock(startIso: string) {
  let now = new Date(startIso);
  return { now: () => now, set: (iso: string) => (now = new Date(iso)) };
}

async function importLeads(tenantId: string, phones: string[], options: { maxAttempts?: number; retryDelaySec?: number } = {}) {
  const csv = `phone,name\n${phones.map((p, i) => `${p},lead ${i}`).join("\n")}\n`;
  const { campaignId } = await importCampaign({ tenantId, options: { name: "zones", defaultCountry: "US", timezone: "America/New_York" }, source: Readable.from([Buffer.from(csv)]) });
  await pgPool().query(`UPDATE "Campaign" SET "maxAttempts" = $2, "retryDelaySec" = $3 WHERE id = $1`, [campaignId, options.maxAttempts ?? 1, options.retryDelaySec ?? 0]);
  campaigns.push({ tenantId, id: campaignId });
  return campaignId;
}

async function leads(campaignId: string) {
  const { rows } = await pgPool().query(
    `SELECT l.id::text, l.phone, l.status, l.timezones, l."zoneSource", l."windowKey", l."suppressedReason",
            (SELECT count(*)::int FROM "CallAttempt" a WHERE a."leadId" = l.id AND a."requestedAt" IS NOT NULL) AS dials
     FROM "Lead" l WHERE l."campaignId" = $1 ORDER BY l.id`,
    [campaignId],
  );
  return rows as { id: string; phone: string; status: string; timezones: string[]; zoneSource: string; windowKey: string; suppressedReason: string | null; dials: number }[];
}

describe("calling windows and do-not-call lists, on a fake clock across a day", () => {
  it("dials each lead only inside its local 08:00–21:00 in every one of its zones, and never a number on a do-not-call list", async () => {
    const t = await createTenant();
    const phones = AREAS.flatMap((a) => Array.from({ length: 4 }, (_, i) => `+1${a.npa}200${String(1000 + i)}`));
    // On the tenant's list before the import (suppressed at import) and added while the campaign runs, before
    // its window opens (caught by the engine at claim and dial time).
    const listedBefore = phones[1]!; // New York
    const listedLater = phones[2]!; // New York, listed in the night before its window opens
    await pgPool().query(`INSERT INTO "SuppressedNumber" ("tenantId", phone, reason, source) VALUES ($1, $2, 'asked us not to call', 'MANUAL')`, [t.id, listedBefore]);
    const campaignId = await importLeads(t.id, phones);

    const before = await leads(campaignId);
    for (const lead of before) {
      const area = AREAS.find((a) => lead.phone.startsWith(`+1${a.npa}`))!;
      expect(lead.timezones, lead.phone).toEqual(area.zones);
      expect(lead.zoneSource).toBe("PHONE");
    }
    expect(before.find((l) => l.phone === listedBefore)).toMatchObject({ status: "SUPPRESSED", suppressedReason: "on your do-not-call list: asked us not to call" });

    // Wednesday 2 December 2026, 03:30 UTC: 22:30 in New York, 21:30 in Chicago, 20:30 in Denver, 19:30 in Los
    // Angeles, 17:30 in Honolulu. Only Los Angeles and Honolulu are inside their window.
    const fake = clock("2026-12-02T03:30:00Z");
    engine = await startEngine({ concurrency: 4, tickMs: 200, clock: fake.now, rules: RULES, sim: allCompleted });
    await engine.start(t.id, campaignId);

    // Hour by hour through the day: at each step, exactly the leads open at that instant get dialed.
    const steps = ["2026-12-02T03:30:00Z", "2026-12-02T08:30:00Z", "2026-12-02T13:30:00Z", "2026-12-02T14:30:00Z", "2026-12-02T15:30:00Z", "2026-12-02T16:30:00Z"];
    const dialedAt = new Map<string, string>();
    for (const [i, step] of steps.entries()) {
      fake.set(step);
      if (i === 1) await pgPool().query(`INSERT INTO "SuppressedNumber" ("tenantId", phone, source) VALUES ($1, $2, 'OPT_OUT')`, [t.id, listedLater]);
      const at = new Date(step);
      const expected = before.filter((l) => l.status !== "SUPPRESSED" && l.phone !== listedLater && !dialedAt.has(l.id) && isDialable({ country: "US", zones: l.timezones }, openSchedule, RULES, at));
      await waitFor(`the leads open at ${step} to be dialed`, async () => {
        const now = await leads(campaignId);
        return expected.every((e) => now.find((l) => l.id === e.id)!.status === "COMPLETED");
      });
      // A few more ticks: nothing else may be dialed at this instant.
      await new Promise((r) => setTimeout(r, 1500));
      for (const lead of await leads(campaignId)) {
        if (lead.dials > 0 && !dialedAt.has(lead.id)) dialedAt.set(lead.id, step);
      }
      const dialedNow = [...dialedAt].filter(([, s]) => s === step).map(([id]) => id).sort();
      expect(dialedNow, `dialed at ${step}`).toEqual(expected.map((l) => l.id).sort());
    }

    const after = await leads(campaignId);
    // Every lead dialed exactly once, in the first step its window was open: Honolulu and LA at 03:30, New York at
    // 13:30, Chicago at 14:30, the Mountain/Central area code only at 15:30 (when both of its zones are open).
    const firstStep: Record<string, string> = { "212": steps[2]!, "312": steps[3]!, "605": steps[4]!, "213": steps[0]!, "808": steps[0]! };
    for (const lead of after) {
      if (lead.phone === listedBefore) continue;
      if (lead.phone === listedLater) {
        expect(lead).toMatchObject({ status: "SUPPRESSED", dials: 0 });
        continue;
      }
      expect(lead.dials, lead.phone).toBe(1);
      expect(dialedAt.get(lead.id), lead.phone).toBe(firstStep[lead.phone.slice(2, 5)]);
    }
  });

  it("a job that waited in the queue past the window's close goes back to waiting without using an attempt", async () => {
    const t = await createTenant();
    const campaignId = await importLeads(t.id, ["+12122001000", "+12122001001", "+12122001002"]);
    // The scheduler claims at 20:59:59 in New York; the callers look at their clock two seconds later.
    const schedulerClock = clock("2026-12-03T01:59:59Z");
    const callerClock = clock("2026-12-03T02:00:01Z");
    engine = await startEngine({ concurrency: 2, tickMs: 200, clock: schedulerClock.now, callerClock: callerClock.now, rules: RULES, sim: allCompleted });
    await engine.start(t.id, campaignId);
    // The scheduler keeps claiming them (its clock says open) and the callers keep giving them back.
    let claims = 0;
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      const now = await leads(campaignId);
      if (now.some((l) => l.status === "QUEUED" || l.status === "DIALING")) claims++;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(claims).toBeGreaterThan(0);
    const { rows } = await pgPool().query(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE "campaignId" = $1 AND "requestedAt" IS NOT NULL`, [campaignId]);
    expect(rows[0].n).toBe(0);
    // The next morning, inside the window for both: each is dialed once, as its first attempt.
    schedulerClock.set("2026-12-03T13:00:00Z");
    callerClock.set("2026-12-03T13:00:00Z");
    await waitFor("the leads to be dialed in the morning", async () => (await leads(campaignId)).every((l) => l.status === "COMPLETED"));
    const { rows: attempts } = await pgPool().query(`SELECT "attemptNumber" FROM "CallAttempt" WHERE "campaignId" = $1 AND "requestedAt" IS NOT NULL`, [campaignId]);
    expect(attempts.map((a) => a.attemptNumber)).toEqual([1, 1, 1]);
  });

  it("a campaign whose leads are all outside their window is not backlogged: nothing claimed, none counted as waiting work", async () => {
    const t = await createTenant();
    const campaignId = await importLeads(t.id, ["+12122006000", "+12122006001"]);
    const fake = clock("2026-12-02T06:00:00Z"); // 01:00 in New York
    engine = await startEngine({ concurrency: 2, tickMs: 200, clock: fake.now, rules: RULES, sim: allCompleted });
    await engine.start(t.id, campaignId);
    const state = new EngineState(engine.redis, engine.prefix);
    await waitFor("the scheduler's report", async () => (await state.dialable())?.[t.id] === 0);
    expect((await leads(campaignId)).map((l) => l.status)).toEqual(["PENDING", "PENDING"]);
    // A second later (several ticks) still nothing claimed; at 08:00 both go out.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await leads(campaignId)).map((l) => l.status)).toEqual(["PENDING", "PENDING"]);
    fake.set("2026-12-02T13:00:00Z");
    await waitFor("the calls", async () => (await leads(campaignId)).every((l) => l.status === "COMPLETED"));
  });

  it("a scheduled start holds every call until then, and the automatic stop pauses the campaign", async () => {
    const t = await createTenant();
    const campaignId = await importLeads(t.id, ["+12122007000", "+12122007001"]);
    await pgPool().query(`UPDATE "Campaign" SET "startAt" = $2, "endAt" = $3 WHERE id = $1`, [campaignId, new Date("2026-12-02T16:00:00Z"), new Date("2026-12-02T17:00:00Z")]);
    const fake = clock("2026-12-02T15:00:00Z"); // 10:00 in New York: inside the platform's hours, before the start
    engine = await startEngine({ concurrency: 2, tickMs: 200, clock: fake.now, rules: RULES, sim: allCompleted });
    await engine.start(t.id, campaignId);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await leads(campaignId)).map((l) => l.dials)).toEqual([0, 0]);
    fake.set("2026-12-02T17:00:00Z");
    const { rows } = await waitFor("the automatic stop", async () => {
      const result = await pgPool().query(`SELECT status FROM "Campaign" WHERE id = $1`, [campaignId]);
      return result.rows[0].status === "PAUSED" ? result : null;
    });
    expect(rows[0].status).toBe("PAUSED");
    expect((await leads(campaignId)).map((l) => [l.status, l.dials])).toEqual([["PENDING", 0], ["PENDING", 0]]);
  });

  it("a retry that comes due outside the window waits for the window", async () => {
    const t = await createTenant();
    const campaignId = await importLeads(t.id, ["+13122001000"], { maxAttempts: 2, retryDelaySec: 1 });
    const fake = clock("2026-12-02T15:00:00Z"); // 09:00 in Chicago
    engine = await startEngine({ concurrency: 2, tickMs: 200, clock: fake.now, rules: RULES, sim: allNoAnswer });
    await engine.start(t.id, campaignId);
    await waitFor("the first attempt", async () => (await leads(campaignId))[0]!.status === "SCHEDULED");
    fake.set("2026-12-02T04:00:00Z"); // 22:00 in Chicago: the retry comes due in a second, outside the window
    await new Promise((r) => setTimeout(r, 3000));
    expect(await leads(campaignId)).toMatchObject([{ status: "PENDING", dials: 1 }]);
    fake.set("2026-12-02T14:00:00Z"); // 08:00 in Chicago
    await waitFor("the retry", async () => (await leads(campaignId))[0]!.status === "NO_ANSWER");
    expect(await leads(campaignId)).toMatchObject([{ status: "NO_ANSWER", dials: 2 }]);
  });

  it("frequency caps hold a number across the tenant's campaigns, and two campaigns never ring one number at once", async () => {
    const t = await createTenant();
    await pgPool().query(`UPDATE "Tenant" SET "callsPer24h" = 2 WHERE id = $1`, [t.id]);
    const phones = ["+13122003000", "+13122003001", "+13122003002"];
    // The same numbers in two campaigns, three attempts each with immediate retries: 18 dials without the cap.
    const first = await importLeads(t.id, phones, { maxAttempts: 3, retryDelaySec: 0 });
    const second = await importLeads(t.id, phones, { maxAttempts: 3, retryDelaySec: 0 });
    engine = await startEngine({ concurrency: 6, tickMs: 200, rules: new Map(), sim: { ...allNoAnswer, ringMs: { min: 80, max: 120 } } });
    await engine.start(t.id, first);
    await engine.start(t.id, second);
    // Each number is rung twice (by whichever campaign got there first), then every lead waits: held by the cap
    // until the older call is a day old, or (a lead whose number was ringing for the other campaign) for a minute.
    const { rows: held } = await waitFor("every lead to be held", async () => {
      const result = await pgPool().query(`SELECT phone, status, "holdReason", "nextAttemptAt" FROM "Lead" WHERE "tenantId" = $1`, [t.id]);
      return result.rows.every((l) => l.status === "SCHEDULED" && l.holdReason) ? result : null;
    });
    for (const phone of phones) {
      const capped = held.filter((l) => l.phone === phone && l.holdReason === "frequency cap: the most calls to this number in 24 hours");
      expect(capped.length, phone).toBeGreaterThan(0);
      for (const lead of capped) expect(new Date(lead.nextAttemptAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
      for (const lead of held.filter((l) => l.phone === phone && !capped.includes(l))) expect(lead.holdReason).toBe("another of your campaigns is calling this number");
    }
    const { rows: calls } = await pgPool().query(
      `SELECT l.phone, a."dialedAt", a."endedAt" FROM "CallAttempt" a JOIN "Lead" l ON l.id = a."leadId" WHERE a."tenantId" = $1 AND a."requestedAt" IS NOT NULL ORDER BY a."dialedAt"`,
      [t.id],
    );
    for (const phone of phones) {
      const mine = calls.filter((c) => c.phone === phone);
      expect(mine, phone).toHaveLength(2);
      // One call to the number at a time: the second starts after the first ended.
      expect(mine[1].dialedAt.getTime(), phone).toBeGreaterThanOrEqual(mine[0].endedAt.getTime());
    }
  });

  it("a person who opts out during a simulated call is put on the tenant's list, and their number's other leads are suppressed", async () => {
    const t = await createTenant();
    const phones = ["+13122004000", "+13122004001"];
    const running = await importLeads(t.id, phones);
    const later = await importLeads(t.id, phones);
    engine = await startEngine({ concurrency: 2, tickMs: 200, rules: new Map(), sim: { ...allCompleted, optOutRate: 1 } });
    await engine.start(t.id, running);
    await waitFor("both calls", async () => (await leads(running)).every((l) => l.status === "COMPLETED"));
    const { rows: listed } = await waitFor("the opt-outs on the list", async () => {
      const result = await pgPool().query(`SELECT phone, source FROM "SuppressedNumber" WHERE "tenantId" = $1 ORDER BY phone`, [t.id]);
      return result.rows.length === 2 ? result : null;
    });
    expect(listed).toEqual(phones.map((phone) => ({ phone, source: "OPT_OUT" })));
    expect((await leads(later)).map((l) => l.status)).toEqual(["SUPPRESSED", "SUPPRESSED"]);
    const { rows } = await pgPool().query(`SELECT "suppressedCount", "pendingCount" FROM "Campaign" WHERE id = $1`, [later]);
    expect(rows[0]).toEqual({ suppressedCount: 2, pendingCount: 0 });
  });
});

const openSchedule = { days: [1, 2, 3, 4, 5, 6, 7], start: null, end: null, startAt: null, endAt: null };

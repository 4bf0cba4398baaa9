// The calling-rules settings against the real Postgres and Redis: who may change the frequency caps, what is refused,
// the REST routes (keys, tenancy), and the leads a lifted cap frees.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as getRoute, PUT as putRoute } from "../../app/api/v1/settings/calling-rules/route";
import { createApiKey } from "../api-keys/mutations";
import { callingRulesSchema } from "../api/openapi-calling-rules";
import { db } from "../db";
import { NotFoundError } from "../errors";
import { pgPool } from "../pg";
import { campaignState, campaignWithLeads, uniqueUsNumber } from "../test/campaign-leads";
import { workspace } from "../test/factories";
import { getCallingRules } from "./data";
import { setFrequencyCaps } from "./mutations";

const session = vi.hoisted(() => ({ current: null as { uid: string; sv: number } | null }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<typeof import("next-auth")>()), getServerSession: async () => session.current }));
// Outside a Next request revalidatePath has no page to revalidate; which page an action refreshes is checked instead.
const revalidated = vi.hoisted(() => [] as string[]);
vi.mock("next/cache", () => ({ revalidatePath: (path: string) => void revalidated.push(path) }));

const { setFrequencyCapsAction } = await import("./actions");

// A country no other test dials or edits: the platform's rules reach every tenant of the shared test database.
const COUNTRY = "IS";
const HOURS = [{ days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" }];
beforeAll(async () => {
  await db.callingRule.upsert({ where: { country: COUNTRY }, create: { country: COUNTRY, intervals: HOURS }, update: { intervals: HOURS } });
});
afterAll(async () => {
  await db.callingRule.deleteMany({ where: { country: COUNTRY } });
});
afterEach(() => {
  session.current = null;
});

describe("the settings page's action", () => {
  it("an owner sets both caps, or switches them off; the page is refreshed", async () => {
    const { tenant, owner } = await workspace("Owner");
    signIn(owner);
    expect(await setFrequencyCapsAction(tenant.id, form({ per24h: "3", per30d: "" }))).toEqual({ ok: true, data: { per24h: 3, per30d: null } });
    expect(await caps(tenant.id)).toEqual({ callsPer24h: 3, callsPer30d: null });
    expect(revalidated).toContain(`/t/${tenant.id}/settings/calling-rules`);
    expect(await setFrequencyCapsAction(tenant.id, form({ per24h: "", per30d: "100" }))).toMatchObject({ ok: true });
    expect(await caps(tenant.id)).toEqual({ callsPer24h: null, callsPer30d: 100 });
  });

  it("a member is refused with a 404 and changes nothing; so is an owner of another tenant", async () => {
    const { tenant, owner, member } = await workspace("Team");
    await setFrequencyCaps(tenant.id, { per24h: 2, per30d: 4 });
    signIn(member);
    await expect(setFrequencyCapsAction(tenant.id, form({ per24h: "", per30d: "" }))).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
    const other = await workspace("Other");
    signIn(other.owner);
    await expect(setFrequencyCapsAction(tenant.id, form({ per24h: "", per30d: "" }))).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
    expect(await caps(tenant.id)).toEqual({ callsPer24h: 2, callsPer30d: 4 });
    expect(await caps(other.tenant.id)).toEqual({ callsPer24h: null, callsPer30d: null });
    signIn(owner);
    expect((await setFrequencyCapsAction(tenant.id, form({ per24h: "", per30d: "" }))).ok).toBe(true);
  });

  it("refuses 0, 101, fractions and text with a message for the field, and changes nothing", async () => {
    const { tenant, owner } = await workspace("Invalid");
    await setFrequencyCaps(tenant.id, { per24h: 5, per30d: 20 });
    signIn(owner);
    const message = "Enter a whole number from 1 to 100, or leave it empty for no limit";
    for (const [per24h, per30d, field] of [["0", "", "per24h"], ["3", "101", "per30d"], ["2.5", "", "per24h"], ["", "lots", "per30d"], ["-1", "4", "per24h"]] as const) {
      const result = await setFrequencyCapsAction(tenant.id, form({ per24h, per30d }));
      expect(result, `${per24h}/${per30d}`).toEqual({ ok: false, message: "Some fields need attention", fieldErrors: { [field]: [message] } });
    }
    await expect(setFrequencyCaps(tenant.id, { per24h: 0, per30d: null })).rejects.toThrow(message);
    expect(await caps(tenant.id)).toEqual({ callsPer24h: 5, callsPer30d: 20 });
    await expect(setFrequencyCaps("no-such-tenant", { per24h: 1, per30d: null })).rejects.toThrow(NotFoundError);
  });
});

describe("raising or removing a cap", () => {
  it("frees the leads a cap holds at once; a tighter cap and other scheduled leads are left alone", async () => {
    const { tenant } = await workspace("Held");
    await setFrequencyCaps(tenant.id, { per24h: 1, per30d: 2 });
    const [held, retry] = [uniqueUsNumber(), uniqueUsNumber()];
    // Paused, so an engine running against the shared test database (an e2e run) leaves the freed lead where it is.
    const campaignId = await campaignWithLeads(tenant.id, [{ phone: held, status: "SCHEDULED" }, { phone: retry, status: "SCHEDULED" }]);
    await pgPool().query(`UPDATE "Campaign" SET status = 'PAUSED' WHERE id = $1`, [campaignId]);
    await pgPool().query(
      `UPDATE "Lead" SET "holdReason" = 'frequency cap: the most calls to this number in 30 days', "nextAttemptAt" = now() + interval '20 days' WHERE "campaignId" = $1 AND phone = $2`,
      [campaignId, held],
    );
    const due = async () => (await campaignState(campaignId)).leads.map((l) => l.nextAttemptAt!.getTime() <= Date.now());

    await setFrequencyCaps(tenant.id, { per24h: 1, per30d: 1 });
    expect(await due()).toEqual([false, false]);
    await setFrequencyCaps(tenant.id, { per24h: 1, per30d: null });
    // The retry keeps its own time. The engine releases the freed lead once the campaign runs, and checks the caps again before dialing it.
    expect(await due()).toEqual([true, false]);
    expect((await campaignState(campaignId)).leads.map((l) => l.status)).toEqual(["SCHEDULED", "SCHEDULED"]);
  });
});

describe("GET/PUT /api/v1/settings/calling-rules", () => {
  it("answers the key's tenant's caps with the platform's calling hours, in the documented shape", async () => {
    const { tenant } = await workspace("Read");
    const { key } = await createApiKey(tenant.id, "tests");
    await setFrequencyCaps(tenant.id, { per24h: 3, per30d: null });
    const res = await getRoute(request("GET", key), ctx());
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-limit")).not.toBeNull();
    const body = await res.json();
    expect(callingRulesSchema.strict().parse(body)).toEqual(body);
    expect(body).toMatchObject({ callsPer24h: 3, callsPer30d: null });
    expect(body.countryHours).toContainEqual({ country: COUNTRY, intervals: HOURS });
    expect(body).toEqual(await getCallingRules(tenant.id));
  });

  it("PUT sets the caps and answers with them; invalid or missing values are a 422 and change nothing", async () => {
    const { tenant } = await workspace("Write");
    const { key } = await createApiKey(tenant.id, "tests");
    const res = await putRoute(request("PUT", key, { callsPer24h: null, callsPer30d: 4 }), ctx());
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ callsPer24h: null, callsPer30d: 4, countryHours: expect.arrayContaining([{ country: COUNTRY, intervals: HOURS }]) });
    expect(await caps(tenant.id)).toEqual({ callsPer24h: null, callsPer30d: 4 });

    const cases: [unknown, string][] = [
      [{ callsPer24h: 0, callsPer30d: null }, "callsPer24h"],
      [{ callsPer24h: 101, callsPer30d: null }, "callsPer24h"],
      [{ callsPer24h: 1.5, callsPer30d: null }, "callsPer24h"],
      [{ callsPer24h: null, callsPer30d: "often" }, "callsPer30d"],
      [{ callsPer24h: 3 }, "callsPer30d"],
      [[], "_"],
    ];
    for (const [json, field] of cases) {
      const bad = await putRoute(request("PUT", key, json), ctx());
      expect(bad.status, JSON.stringify(json)).toBe(422);
      const { error } = await bad.json();
      expect(error.code).toBe("validation_failed");
      expect(Object.keys(error.fields), JSON.stringify(json)).toEqual([field]);
    }
    const notJson = await putRoute(new Request("http://test/api/v1/settings/calling-rules", { method: "PUT", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: "{callsPer24h:" }), ctx());
    expect(notJson.status).toBe(422);
    expect(await caps(tenant.id)).toEqual({ callsPer24h: null, callsPer30d: 4 });
  });

  it("another tenant's key reads and writes only its own tenant's caps; no key is a 401", async () => {
    const mine = await workspace("Mine");
    const theirs = await workspace("Theirs");
    await setFrequencyCaps(mine.tenant.id, { per24h: 2, per30d: 10 });
    const { key: theirKey } = await createApiKey(theirs.tenant.id, "tests");

    expect(await (await getRoute(request("GET", theirKey), ctx())).json()).toMatchObject({ callsPer24h: null, callsPer30d: null });
    // The tenant comes from the key alone: a tenant id in the URL or the body is not read.
    const put = await putRoute(request("PUT", theirKey, { callsPer24h: 50, callsPer30d: null, tenantId: mine.tenant.id }, `?tenantId=${mine.tenant.id}`), ctx());
    expect(put.status).toBe(200);
    expect(await caps(theirs.tenant.id)).toEqual({ callsPer24h: 50, callsPer30d: null });
    expect(await caps(mine.tenant.id)).toEqual({ callsPer24h: 2, callsPer30d: 10 });

    for (const key of [undefined, "fdk_live_0000000000000000000000000000000x"]) {
      expect((await getRoute(request("GET", key), ctx())).status).toBe(401);
      expect((await putRoute(request("PUT", key, { callsPer24h: null, callsPer30d: null }), ctx())).status).toBe(401);
    }
    expect(await caps(mine.tenant.id)).toEqual({ callsPer24h: 2, callsPer30d: 10 });
  });
});

function caps(tenantId: string) {
  return db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { callsPer24h: true, callsPer30d: true } });
}

function signIn(user: { id: string; sessionVersion: number }) {
  session.current = { uid: user.id, sv: user.sessionVersion };
}

function form(fields: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

function request(method: "GET" | "PUT", key: string | undefined, json?: unknown, query = "") {
  const headers = new Headers(key ? { authorization: `Bearer ${key}` } : {});
  if (json !== undefined) headers.set("content-type", "application/json");
  return new Request(`http://test/api/v1/settings/calling-rules${query}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
}

function ctx() {
  return { params: Promise.resolve({}) };
}

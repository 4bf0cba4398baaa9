// Call-attempt history through the REST routes, against the real Postgres: pages, filters, one lead with its
// attempts, the results export's call columns and the attempts CSV. Every test has its own tenant and key.
// First: Next's request stores need AsyncLocalStorage on globalThis before the routes load next/headers.
import { inRequestScope } from "../test/next-request-scope";
import type { CallOutcome } from "@prisma/client";
import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { GET as uiAttemptsExportRoute } from "../../app/api/campaigns/[campaignId]/attempts/export/route";
import { GET as attemptsRoute } from "../../app/api/v1/campaigns/[id]/attempts/route";
import { GET as attemptsExportRoute } from "../../app/api/v1/campaigns/[id]/attempts/export/route";
import { GET as exportRoute } from "../../app/api/v1/campaigns/[id]/export/route";
import { GET as leadRoute } from "../../app/api/v1/campaigns/[id]/leads/[leadId]/route";
import { attemptSchema } from "../api/openapi-attempts";
import { createApiKey } from "../api-keys/mutations";
import { db } from "../db";
import { env } from "../env";
import { pgPool } from "../pg";
import { campaignWithLeads } from "../test/campaign-leads";
import { uniqueId } from "../test/factories";
import { signUp } from "../tenants/mutations";

const T0 = Date.parse("2025-03-03T10:00:00.000Z");
const MIN = 60_000;

describe("GET /api/v1/campaigns/{id}/attempts", () => {
  it("pages through 250 attempts in lead then attempt order, each once, with and without filters", async () => {
    const { key, tenantId } = await newTenant("Pages");
    // Two campaigns whose leads interleave (ids alternate), both with attempts: the other's never show up.
    const [a, b] = await interleavedCampaigns(tenantId, 100);
    const leadIds = await leadIdsOf(a);
    const outcomes: (CallOutcome | null)[] = ["NO_ANSWER", "BUSY", "COMPLETED", null, "VOICEMAIL"];
    const rows = leadIds.flatMap((leadId, i) =>
      Array.from({ length: i % 2 === 0 ? 3 : 2 }, (_, k) => {
        const j = i * 3 + k;
        const outcome = outcomes[j % outcomes.length]!;
        // Dial times run against the list's order (later leads were dialed first), and some attempts were never dialed.
        const dialedAt = outcome === null && j % 2 === 0 ? null : new Date(T0 + (300 - j) * MIN);
        return { tenantId, campaignId: a, leadId, attemptNumber: k + 1, queuedAt: new Date(T0 - MIN), dialedAt, outcome, inDoubtSince: outcome === null && dialedAt ? dialedAt : null };
      }),
    );
    expect(rows).toHaveLength(250);
    await db.callAttempt.createMany({ data: rows });
    await db.callAttempt.createMany({ data: (await leadIdsOf(b)).map((leadId) => ({ tenantId, campaignId: b, leadId, attemptNumber: 1, dialedAt: new Date(T0), outcome: "NO_ANSWER" as const })) });
    const expected = await db.callAttempt.findMany({ where: { campaignId: a }, orderBy: [{ leadId: "asc" }, { attemptNumber: "asc" }] });

    const all = await pageThrough(key, a, "limit=37");
    expect(all.pages).toBe(7);
    expect(all.attempts.map((x) => x.id)).toEqual(expected.map((x) => x.id));
    for (const attempt of all.attempts) expect(attemptSchema.strict().parse(attempt)).toEqual(attempt);

    const noAnswer = await pageThrough(key, a, "outcome=NO_ANSWER&limit=9");
    expect(noAnswer.attempts.map((x) => x.id)).toEqual(expected.filter((x) => x.outcome === "NO_ANSWER").map((x) => x.id));

    const pending = await pageThrough(key, a, "outcome=pending&limit=11");
    expect(pending.attempts.map((x) => x.id)).toEqual(expected.filter((x) => x.outcome === null).map((x) => x.id));
    expect(pending.attempts.some((x) => x.inDoubt) && pending.attempts.some((x) => !x.inDoubt)).toBe(true);

    // `from` inclusive, `to` exclusive; attempts never dialed are outside every window.
    const from = new Date(T0 + 100 * MIN);
    const to = new Date(T0 + 200 * MIN);
    const inWindow = (x: { dialedAt: Date | null }) => x.dialedAt !== null && x.dialedAt >= from && x.dialedAt < to;
    const window = await pageThrough(key, a, `from=${from.toISOString()}&to=${encodeURIComponent("2025-03-03T14:20:00+01:00")}&limit=13`);
    expect(window.attempts.map((x) => x.id)).toEqual(expected.filter(inWindow).map((x) => x.id));
    expect(window.attempts.length).toBeGreaterThan(50);

    const both = await pageThrough(key, a, `outcome=COMPLETED&from=${from.toISOString()}&to=${to.toISOString()}&limit=5`);
    expect(both.attempts.map((x) => x.id)).toEqual(expected.filter((x) => inWindow(x) && x.outcome === "COMPLETED").map((x) => x.id));
  });

  it("answers 422 for bad query parameters and an empty page for a campaign without attempts", async () => {
    const { key, tenantId } = await newTenant("Bad");
    const id = await campaignWithLeads(tenantId, [{ phone: "+17865550100" }]);
    for (const [query, field] of [["outcome=RINGING", "outcome"], ["from=monday", "from"], ["from=2025-03-03T10:00:00Z&to=2025-03-03T09:00:00Z", "to"], ["cursor=bm9wZQ", "cursor"], ["limit=501", "limit"]]) {
      const res = await attemptsRoute(request(`/api/v1/campaigns/${id}/attempts?${query}`, key), ctx({ id }));
      expect(res.status, query).toBe(422);
      expect(Object.keys((await res.json()).error.fields), query).toEqual([field]);
    }
    const empty = await attemptsRoute(request(`/api/v1/campaigns/${id}/attempts`, key), ctx({ id }));
    expect(await empty.json()).toEqual({ attempts: [], nextCursor: null });
  });
});

describe("GET /api/v1/campaigns/{id}/leads/{leadId}", () => {
  it("answers the lead as the list shows it, with all its attempts in attempt order", async () => {
    const { key, tenantId } = await newTenant("Lead");
    const id = await campaignWithLeads(tenantId, [{ phone: "+17865550101" }, { phone: "+17865550102" }]);
    const [leadId, other] = await leadIdsOf(id);
    await db.callAttempt.createMany({ data: threeCalls(tenantId, id, leadId!) });
    const res = await leadRoute(request(`/api/v1/campaigns/${id}/leads/${leadId}`, key), ctx({ id, leadId: String(leadId) }));
    expect(res.status).toBe(200);
    const { lead } = await res.json();
    expect(lead).toMatchObject({ id: String(leadId), line: 2, phone: "+17865550101", status: "PENDING", variables: {} });
    expect(lead).not.toHaveProperty("windowKey");
    expect(lead.attempts.map((x: { attemptNumber: number }) => x.attemptNumber)).toEqual([1, 2, 3]);
    expect(lead.attempts[1]).toMatchObject({
      leadId: String(leadId),
      phone: "+17865550101",
      outcome: "COMPLETED",
      dialedAt: iso(20),
      answeredAt: new Date(T0 + 20 * MIN + 10_000).toISOString(),
      endedAt: new Date(T0 + 22 * MIN).toISOString(),
      durationSec: 110,
      providerCallId: "CA-2",
      inDoubt: false,
    });
    expect(lead.attempts[2]).toMatchObject({ outcome: "BUSY", durationSec: null, error: "=1+1 busy signal" });
    for (const attempt of lead.attempts) expect(attemptSchema.strict().parse(attempt)).toEqual(attempt);

    const untried = await (await leadRoute(request(`/api/v1/campaigns/${id}/leads/${other}`, key), ctx({ id, leadId: String(other) }))).json();
    expect(untried.lead.attempts).toEqual([]);
  });
});

describe("tenant isolation", () => {
  it("answers 404 for another tenant's campaign or lead, a lead of another campaign, and ids that are not ids", async () => {
    const a = await newTenant("IsoA");
    const b = await newTenant("IsoB");
    const campaign = await campaignWithLeads(a.tenantId, [{ phone: "+17865550103" }]);
    const [leadId] = await leadIdsOf(campaign);
    await db.callAttempt.create({ data: { tenantId: a.tenantId, campaignId: campaign, leadId: leadId!, attemptNumber: 1, dialedAt: new Date(T0) } });
    const sibling = await campaignWithLeads(a.tenantId, [{ phone: "+17865550104" }]);
    const unknown = "c0000000000000000000000000000000";

    const cases: [string, string, string][] = [
      [b.key, campaign, String(leadId)],
      [a.key, unknown, String(leadId)],
      [a.key, sibling, String(leadId)],
      [a.key, campaign, "999999999999"],
      [a.key, campaign, "not-a-lead"],
      [a.key, campaign, "99999999999999999999999"],
    ];
    for (const [key, id, lead] of cases) {
      const res = await leadRoute(request(`/api/v1/campaigns/${id}/leads/${lead}`, key), ctx({ id, leadId: lead }));
      expect(res.status, `${id}/${lead}`).toBe(404);
      expect((await res.json()).error.code).toBe("not_found");
    }
    for (const [key, id] of [[b.key, campaign], [a.key, unknown]] as const) {
      for (const res of [
        await attemptsRoute(request(`/api/v1/campaigns/${id}/attempts`, key), ctx({ id })),
        await attemptsExportRoute(request(`/api/v1/campaigns/${id}/attempts/export`, key), ctx({ id })),
      ]) {
        expect(res.status).toBe(404);
        expect((await res.json()).error.code).toBe("not_found");
      }
    }
  });
});

describe("the results export", () => {
  it("has each lead's first and last dial, last answer, last end, dialed attempts and last provider call id", async () => {
    const { key, tenantId } = await newTenant("Export");
    const id = await campaignWithLeads(tenantId, [{ phone: "+17865550105" }, { phone: "+17865550106" }, { phone: "+17865550107" }]);
    const [called, , queued] = await leadIdsOf(id);
    await db.callAttempt.createMany({
      data: [
        ...threeCalls(tenantId, id, called!),
        { tenantId, campaignId: id, leadId: queued!, attemptNumber: 1, dialedAt: new Date(T0 + 5 * MIN), endedAt: new Date(T0 + 6 * MIN), outcome: "NO_ANSWER", providerCallId: "CA-Q1" },
        // Queued for its retry, not dialed yet: not counted, and not the lead's last call.
        { tenantId, campaignId: id, leadId: queued!, attemptNumber: 2 },
      ],
    });
    const csv = await (await exportRoute(request(`/api/v1/campaigns/${id}/export`, key), ctx({ id }))).text();
    const [header, ...lines] = csv.trim().split("\r\n").map((line) => line.split(","));
    expect(header!.slice(-6)).toEqual(["first_dialed_at", "last_dialed_at", "answered_at", "ended_at", "total_attempts", "last_provider_call_id"]);
    const row = (i: number) => Object.fromEntries(header!.map((name, c) => [name, lines[i]![c]]));
    expect(lines.map((l) => l[1])).toEqual(["+17865550105", "+17865550106", "+17865550107"]);
    expect(row(0)).toMatchObject({
      first_dialed_at: iso(10),
      last_dialed_at: iso(30),
      answered_at: new Date(T0 + 20 * MIN + 10_000).toISOString(),
      ended_at: new Date(T0 + 30 * MIN + 20_000).toISOString(),
      total_attempts: "3",
      last_provider_call_id: "CA-3",
    });
    expect(row(1)).toMatchObject({ first_dialed_at: "", last_dialed_at: "", answered_at: "", ended_at: "", total_attempts: "0", last_provider_call_id: "" });
    expect(row(2)).toMatchObject({ first_dialed_at: iso(5), last_dialed_at: iso(5), answered_at: "", ended_at: iso(6), total_attempts: "1", last_provider_call_id: "CA-Q1" });
  });
});

describe("GET /api/v1/campaigns/{id}/attempts/export", () => {
  it("streams one row per attempt across several batches, in the list's order, with outside text neutralised", async () => {
    const { key, tenantId } = await newTenant("AttemptsCsv");
    const leads = Array.from({ length: 2600 }, (_, i) => ({ phone: `+1786555${String(i).padStart(4, "0")}` }));
    const id = await campaignWithLeads(tenantId, leads);
    // 5,200 attempts: several export batches.
    await pgPool().query(
      `INSERT INTO "CallAttempt" (id, "tenantId", "campaignId", "leadId", "attemptNumber", "queuedAt", "dialedAt", "endedAt", outcome, "providerCallId")
       SELECT gen_random_uuid()::text, l."tenantId", l."campaignId", l.id, n, $2::timestamp, $2::timestamp, $2::timestamp + interval '30 seconds',
              CASE WHEN n = 1 THEN 'NO_ANSWER' ELSE 'BUSY' END::"CallOutcome", 'CA' || l.id || '-' || n
       FROM "Lead" l CROSS JOIN generate_series(1, 2) n WHERE l."campaignId" = $1`,
      [id, new Date(T0).toISOString().replace("Z", "")],
    );
    const [first] = await leadIdsOf(id);
    await db.callAttempt.update({ where: { leadId_attemptNumber: { leadId: first!, attemptNumber: 1 } }, data: { error: '=HYPERLINK("http://evil.example")', providerCallId: "@CA" } });

    const res = await attemptsExportRoute(request(`/api/v1/campaigns/${id}/attempts/export`, key), ctx({ id }));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
    const [header, ...lines] = (await res.text()).trim().split("\r\n");
    expect(header).toBe("line,phone,lead_id,attempt_id,attempt_number,queued_at,dialed_at,answered_at,ended_at,duration_sec,outcome,outcome_assumed,in_doubt,provider_call_id,error");
    expect(lines).toHaveLength(5200);
    const expected = await db.callAttempt.findMany({ where: { campaignId: id }, orderBy: [{ leadId: "asc" }, { attemptNumber: "asc" }], select: { id: true } });
    expect(lines.map((l) => l.split(",")[3])).toEqual(expected.map((x) => x.id));
    expect(lines[0]).toBe(`2,+17865550000,${first},${expected[0]!.id},1,${iso(0)},${iso(0)},,${new Date(T0 + 30_000).toISOString()},,no_answer,false,false,'@CA,"'=HYPERLINK(""http://evil.example"")"`);
    expect(lines[5199]!.split(",").slice(0, 2)).toEqual(["2601", "+17865552599"]);

    const busy = await (await attemptsExportRoute(request(`/api/v1/campaigns/${id}/attempts/export?outcome=BUSY`, key), ctx({ id }))).text();
    expect(busy.trim().split("\r\n")).toHaveLength(2601);
  });

  it("is the campaign page's download for a signed-in member, and a 404 for another tenant's campaign", async () => {
    const a = await newTenant("UiCsv");
    const b = await newTenant("UiCsvOther");
    const id = await campaignWithLeads(a.tenantId, [{ phone: "+17865550108" }]);
    const [leadId] = await leadIdsOf(id);
    await db.callAttempt.createMany({ data: threeCalls(a.tenantId, id, leadId!) });
    const download = (user: { id: string; sessionVersion: number }) =>
      sessionCookie(user).then((cookie) =>
        inRequestScope(new Request(`http://test/api/campaigns/${id}/attempts/export`, { headers: { cookie } }), "/api/campaigns/[campaignId]/attempts/export", () =>
          uiAttemptsExportRoute(new Request(`http://test/api/campaigns/${id}/attempts/export`), ctx({ campaignId: id })),
        ),
      );
    const res = await download(a.user);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/-call-attempts\.csv"$/);
    expect((await res.text()).trim().split("\r\n")).toHaveLength(4);
    expect((await download(b.user)).status).toBe(404);
  });
});

// Helpers

async function newTenant(label: string) {
  const { tenant, user } = await signUp({ organisation: `${label} ${uniqueId()}`, name: `${label} Owner`, email: `${uniqueId(label.toLowerCase())}@example.test`, password: "correct horse battery" });
  const { key } = await createApiKey(tenant.id, "tests");
  return { tenantId: tenant.id, key, user };
}

function request(path: string, key: string) {
  return new Request(`http://test${path}`, { headers: { authorization: `Bearer ${key}` } });
}

function ctx<P>(params: P) {
  return { params: Promise.resolve(params) };
}

function iso(minutes: number) {
  return new Date(T0 + minutes * MIN).toISOString();
}

type AttemptJson = { id: string; inDoubt: boolean };

/** Every page of a campaign's attempts for one query, following nextCursor; fails on a repeated attempt. */
async function pageThrough(key: string, id: string, query: string) {
  const attempts: AttemptJson[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/api/v1/campaigns/${id}/attempts?${query}${cursor ? `&cursor=${cursor}` : ""}`;
    const res = await attemptsRoute(request(url, key), ctx({ id }));
    expect(res.status, url).toBe(200);
    const body = (await res.json()) as { attempts: AttemptJson[]; nextCursor: string | null };
    attempts.push(...body.attempts);
    cursor = body.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  expect(new Set(attempts.map((a) => a.id)).size).toBe(attempts.length);
  return { attempts, pages };
}

async function leadIdsOf(campaignId: string) {
  return (await db.lead.findMany({ where: { campaignId }, orderBy: { id: "asc" }, select: { id: true } })).map((l) => l.id);
}

/** Two campaigns of the tenant with `n` leads each, inserted alternately, so their lead ids interleave. */
async function interleavedCampaigns(tenantId: string, n: number) {
  const a = await campaignWithLeads(tenantId, []);
  const b = await campaignWithLeads(tenantId, []);
  await pgPool().query(
    `INSERT INTO "Lead" ("tenantId", "campaignId", line, phone)
     SELECT $1, CASE WHEN g % 2 = 0 THEN $2 ELSE $3 END, g / 2 + 2, '+1786555' || lpad(g::text, 4, '0') FROM generate_series(0, $4::int * 2 - 1) g ORDER BY g`,
    [tenantId, a, b, n],
  );
  return [a, b] as const;
}

/** No answer, then answered for 110 s, then busy: three dialed attempts of one lead. */
function threeCalls(tenantId: string, campaignId: string, leadId: bigint) {
  return [
    { tenantId, campaignId, leadId, attemptNumber: 1, queuedAt: new Date(T0 + 9 * MIN), dialedAt: new Date(T0 + 10 * MIN), endedAt: new Date(T0 + 11 * MIN), outcome: "NO_ANSWER" as const, providerCallId: "CA-1" },
    {
      tenantId,
      campaignId,
      leadId,
      attemptNumber: 2,
      queuedAt: new Date(T0 + 19 * MIN),
      dialedAt: new Date(T0 + 20 * MIN),
      answeredAt: new Date(T0 + 20 * MIN + 10_000),
      endedAt: new Date(T0 + 22 * MIN),
      outcome: "COMPLETED" as const,
      providerCallId: "CA-2",
    },
    { tenantId, campaignId, leadId, attemptNumber: 3, queuedAt: new Date(T0 + 29 * MIN), dialedAt: new Date(T0 + 30 * MIN), endedAt: new Date(T0 + 30 * MIN + 20_000), outcome: "BUSY" as const, providerCallId: "CA-3", error: "=1+1 busy signal" },
  ];
}

async function sessionCookie(user: { id: string; sessionVersion: number }) {
  return `next-auth.session-token=${await encode({ token: { sub: user.id, uid: user.id, sv: user.sessionVersion }, secret: env().NEXTAUTH_SECRET, maxAge: 3600 })}`;
}

// The do-not-call REST routes through their handlers, against real Postgres and Redis (keys, rate limit, tenancy).
import { describe, expect, it } from "vitest";
import { GET as listRoute, POST as addRoute } from "../../app/api/v1/suppressions/route";
import { DELETE as deleteRoute } from "../../app/api/v1/suppressions/[phone]/route";
import { POST as optOutRoute } from "../../app/api/v1/calls/[attemptId]/opt-out/route";
import { createApiKey } from "../api-keys/mutations";
import { pgPool } from "../pg";
import { campaignState, campaignWithLeads, uniqueUsNumber } from "../test/campaign-leads";
import { uniqueId } from "../test/factories";
import { signUp } from "../tenants/mutations";
import { listSuppressions, suppressionCounts } from "./data";

describe("authentication", () => {
  it("every route answers 401 without a valid key and changes nothing", async () => {
    const { tenantId } = await newTenant("Auth");
    for (const key of [undefined, "fdk_live_0000000000000000000000000000000x"]) {
      const answers = await Promise.all([
        listRoute(request("GET", "/api/v1/suppressions", key), ctx({})),
        addRoute(request("POST", "/api/v1/suppressions", key, { json: { phone: "+12125550100" } }), ctx({})),
        deleteRoute(request("DELETE", "/api/v1/suppressions/%2B12125550100", key), ctx({ phone: "%2B12125550100" })),
        optOutRoute(request("POST", "/api/v1/calls/x/opt-out", key), ctx({ attemptId: "x" })),
      ]);
      for (const res of answers) expect(res.status).toBe(401);
    }
    expect((await suppressionCounts({ tenantId })).total).toBe(0);
  });
});

describe("POST /api/v1/suppressions", () => {
  it("adds one number or many, as objects or bare strings, with the rate-limit headers", async () => {
    const { key, tenantId } = await newTenant("Add");
    const one = await addRoute(request("POST", "/api/v1/suppressions", key, { json: { phone: "(212) 555-0100", reason: "asked" } }), ctx({}));
    expect(one.status).toBe(200);
    expect(one.headers.get("ratelimit-limit")).not.toBeNull();
    expect(await one.json()).toEqual({ added: 1, alreadyListed: 0, rejected: [], leadsSuppressed: 0 });
    const many = await addRoute(
      request("POST", "/api/v1/suppressions", key, { json: { defaultCountry: "gb", numbers: ["07911 123456", { phone: "+12125550100" }, { phone: "nope", reason: "x" }] } }),
      ctx({}),
    );
    expect(await many.json()).toEqual({ added: 1, alreadyListed: 1, rejected: [{ input: "nope", reason: "not a phone number" }], leadsSuppressed: 0 });
    const { suppressions } = await listSuppressions({ tenantId }, { limit: 50 });
    expect(suppressions.map((s) => [s.phone, s.reason, s.source])).toEqual([
      ["+447911123456", null, "API"],
      ["+12125550100", "asked", "API"],
    ]);
  });

  it("suppresses the tenant's leads not yet dialed", async () => {
    const { key, tenantId } = await newTenant("Leads");
    const phone = uniqueUsNumber();
    const campaignId = await campaignWithLeads(tenantId, [{ phone }, { phone: uniqueUsNumber() }], "RUNNING");
    const res = await addRoute(request("POST", "/api/v1/suppressions", key, { json: { numbers: [phone] } }), ctx({}));
    expect((await res.json()).leadsSuppressed).toBe(1);
    expect(await campaignState(campaignId)).toMatchObject({ pendingCount: 1, suppressedCount: 1 });
  });

  it("answers 422 with the field at fault, 415 for other media types, and adds nothing", async () => {
    const { key, tenantId } = await newTenant("Bad");
    const cases: [unknown, string][] = [
      [{}, "phone"],
      [{ phone: "x".repeat(65) }, "phone"],
      [{ phone: "+12125550100", reason: "r".repeat(201) }, "reason"],
      [{ numbers: [] }, "numbers"],
      [{ numbers: ["+12125550100", { reason: "no phone" }] }, "numbers.1.phone"],
      [{ numbers: Array.from({ length: 10_001 }, () => "+12125550100") }, "numbers"],
      [{ phone: "+12125550100", defaultCountry: "ZZ" }, "defaultCountry"],
    ];
    for (const [json, field] of cases) {
      const res = await addRoute(request("POST", "/api/v1/suppressions", key, { json }), ctx({}));
      expect(res.status, field).toBe(422);
      const { error } = await res.json();
      expect(error.code).toBe("validation_failed");
      expect(Object.keys(error.fields), JSON.stringify(json).slice(0, 80)).toContain(field);
    }
    const notJson = await addRoute(request("POST", "/api/v1/suppressions", key, { raw: "{phone:", contentType: "application/json" }), ctx({}));
    expect(notJson.status).toBe(422);
    const plain = await addRoute(request("POST", "/api/v1/suppressions", key, { raw: "+12125550100", contentType: "text/plain" }), ctx({}));
    expect(plain.status).toBe(415);
    expect((await plain.json()).error.code).toBe("unsupported_media_type");
    expect((await suppressionCounts({ tenantId })).total).toBe(0);
  });

  it("takes a CSV body (text/csv), with ?defaultCountry= for numbers without +code", async () => {
    const { key, tenantId } = await newTenant("Csv");
    const res = await addRoute(request("POST", "/api/v1/suppressions?defaultCountry=GB", key, { raw: "number,reason\n07911 123456,complaint\nbad,\n", contentType: "text/csv; charset=utf-8" }), ctx({}));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ added: 1, alreadyListed: 0, rejected: [{ input: "bad", reason: "not a phone number", line: 3 }], rejectedCount: 1, leadsSuppressed: 0 });
    expect((await listSuppressions({ tenantId }, { limit: 5 })).suppressions).toMatchObject([{ phone: "+447911123456", reason: "complaint", source: "UPLOAD" }]);
  });

  it("answers 413 for a CSV over 5 MB (announced or streamed) and 422 for one it cannot read, adding nothing", async () => {
    const { key, tenantId } = await newTenant("Huge");
    const announced = await addRoute(
      request("POST", "/api/v1/suppressions", key, { raw: "phone\n+12125550100\n", contentType: "text/csv", headers: { "content-length": String(6 * 1024 * 1024) } }),
      ctx({}),
    );
    expect(announced.status).toBe(413);
    expect((await announced.json()).error).toEqual({ code: "too_large", message: "file is larger than 5 MB; split it into smaller files" });
    // Sent without a Content-Length: the reader stops at 5 MB, and the valid rows before that are not added either.
    const row = `+12125550100,${"x".repeat(180)}\n`;
    const csv = "phone,reason\n" + row.repeat(Math.ceil((5.1 * 1024 * 1024) / row.length));
    const streamed = await addRoute(request("POST", "/api/v1/suppressions", key, { stream: new Blob([csv]).stream(), contentType: "text/csv" }), ctx({}));
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).error.code).toBe("too_large");
    const noPhone = await addRoute(request("POST", "/api/v1/suppressions", key, { raw: "name,city\nAda,London\n", contentType: "text/csv" }), ctx({}));
    expect(noPhone.status).toBe(422);
    expect((await noPhone.json()).error).toMatchObject({ code: "missing_phone_column", line: 1 });
    expect((await suppressionCounts({ tenantId })).total).toBe(0);
  });
});

describe("GET /api/v1/suppressions", () => {
  it("pages the tenant's own list newest first, searches by the start of the number, and shows no other tenant's numbers", async () => {
    const { key } = await newTenant("List");
    const other = await newTenant("Other");
    await addRoute(request("POST", "/api/v1/suppressions", other.key, { json: { phone: "+12125550199" } }), ctx({}));
    await addRoute(request("POST", "/api/v1/suppressions", key, { json: { numbers: ["+12125550100", "+12125550101", "+13125550100"] } }), ctx({}));
    const first = await (await listRoute(request("GET", "/api/v1/suppressions?limit=2", key), ctx({}))).json();
    expect(first.suppressions.map((s: { phone: string }) => s.phone)).toEqual(["+13125550100", "+12125550101"]);
    expect(first.suppressions[0]).toMatchObject({ id: expect.any(String), reason: null, source: "API", createdAt: expect.stringMatching(/Z$/) });
    const next = await (await listRoute(request("GET", `/api/v1/suppressions?limit=2&cursor=${first.nextCursor}`, key), ctx({}))).json();
    expect(next).toMatchObject({ suppressions: [{ phone: "+12125550100" }], nextCursor: null });
    const found = await (await listRoute(request("GET", `/api/v1/suppressions?q=${encodeURIComponent("+1212")}&cursor=`, key), ctx({}))).json();
    expect(found.suppressions.map((s: { phone: string }) => s.phone)).toEqual(["+12125550101", "+12125550100"]);
    const bad = await listRoute(request("GET", "/api/v1/suppressions?limit=501", key), ctx({}));
    expect(bad.status).toBe(422);
  });
});

describe("DELETE /api/v1/suppressions/{phone}", () => {
  it("removes a listed number (204), and answers 404 for an unlisted one or another tenant's", async () => {
    const { key, tenantId } = await newTenant("Delete");
    const other = await newTenant("NotMine");
    await addRoute(request("POST", "/api/v1/suppressions", key, { json: { numbers: ["+12125550100", "+12125550101"] } }), ctx({}));
    const foreign = await deleteRoute(request("DELETE", "/api/v1/suppressions/%2B12125550100", other.key), ctx({ phone: "%2B12125550100" }));
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).error.code).toBe("not_found");
    // Next may hand the segment over decoded or not: both name the number.
    expect((await deleteRoute(request("DELETE", "/api/v1/suppressions/%2B12125550100", key), ctx({ phone: "%2B12125550100" }))).status).toBe(204);
    expect((await deleteRoute(request("DELETE", "/api/v1/suppressions/+12125550101", key), ctx({ phone: "+12125550101" }))).status).toBe(204);
    const again = await deleteRoute(request("DELETE", "/api/v1/suppressions/%2B12125550100", key), ctx({ phone: "%2B12125550100" }));
    expect(again.status).toBe(404);
    expect((await suppressionCounts({ tenantId })).total).toBe(0);
  });
});

describe("POST /api/v1/calls/{attemptId}/opt-out", () => {
  it("lists the call's number as an opt-out and suppresses the tenant's other leads with it", async () => {
    const { key, tenantId } = await newTenant("OptOut");
    const phone = uniqueUsNumber();
    const calling = await campaignWithLeads(tenantId, [{ phone, status: "DIALING" }], "RUNNING");
    const later = await campaignWithLeads(tenantId, [{ phone }, { phone: uniqueUsNumber(), status: "SCHEDULED" }], "RUNNING");
    const attemptId = await attemptOf(calling);

    const res = await optOutRoute(request("POST", `/api/v1/calls/${attemptId}/opt-out`, key, { json: { reason: "said stop" } }), ctx({ attemptId }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ phone, added: true, leadsSuppressed: 1 });
    expect((await listSuppressions({ tenantId }, { limit: 5 })).suppressions).toMatchObject([{ phone, reason: "said stop", source: "OPT_OUT" }]);
    expect(await campaignState(later)).toMatchObject({
      pendingCount: 0,
      suppressedCount: 1,
      leads: [{ status: "SUPPRESSED", suppressedReason: "opted out during a call: said stop" }, { status: "SCHEDULED" }],
    });
    // The call in progress is left to finish; the engine checks the list before any later attempt.
    expect((await campaignState(calling)).leads[0]!.status).toBe("DIALING");

    // Twice is harmless, and the body is optional.
    const again = await optOutRoute(request("POST", `/api/v1/calls/${attemptId}/opt-out`, key), ctx({ attemptId }));
    expect(await again.json()).toEqual({ phone, added: false, leadsSuppressed: 0 });
  });

  it("answers 404 for another tenant's call or an unknown id, and lists nothing", async () => {
    const owner = await newTenant("CallOwner");
    const intruder = await newTenant("Intruder");
    const phone = uniqueUsNumber();
    const attemptId = await attemptOf(await campaignWithLeads(owner.tenantId, [{ phone, status: "DIALING" }], "RUNNING"));
    for (const id of [attemptId, "00000000-0000-0000-0000-000000000000", "not-a-uuid"]) {
      const res = await optOutRoute(request("POST", `/api/v1/calls/${id}/opt-out`, intruder.key), ctx({ attemptId: id }));
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe("not_found");
    }
    expect((await suppressionCounts({ tenantId: intruder.tenantId })).total).toBe(0);
    expect((await suppressionCounts({ tenantId: owner.tenantId })).total).toBe(0);
    const bad = await optOutRoute(request("POST", `/api/v1/calls/${attemptId}/opt-out`, owner.key, { json: { reason: "r".repeat(201) } }), ctx({ attemptId }));
    expect(bad.status).toBe(422);
    expect((await suppressionCounts({ tenantId: owner.tenantId })).total).toBe(0);
  });
});

async function newTenant(label: string) {
  const { tenant } = await signUp({ organisation: `${label} ${uniqueId()}`, name: `${label} Owner`, email: `${uniqueId(label.toLowerCase())}@example.test`, password: "correct horse battery" });
  const { key } = await createApiKey(tenant.id, "tests");
  return { tenantId: tenant.id, key };
}

/** An attempt row for the campaign's first lead, as the engine's claim writes it. */
async function attemptOf(campaignId: string): Promise<string> {
  const { rows } = await pgPool().query(
    `INSERT INTO "CallAttempt" (id, "tenantId", "campaignId", "leadId", "attemptNumber", "requestedAt", "dialedAt")
     SELECT gen_random_uuid()::text, l."tenantId", l."campaignId", l.id, 1, now(), now() FROM "Lead" l WHERE l."campaignId" = $1 ORDER BY l.line LIMIT 1
     RETURNING id`,
    [campaignId],
  );
  return rows[0].id;
}

type Body = { json: unknown } | { raw: string; contentType: string; headers?: Record<string, string> } | { stream: ReadableStream<Uint8Array>; contentType: string };

function request(method: string, path: string, key: string | undefined, body?: Body) {
  const headers = new Headers(key ? { authorization: `Bearer ${key}` } : {});
  let payload: BodyInit | undefined;
  if (body && "json" in body) {
    headers.set("content-type", "application/json");
    payload = JSON.stringify(body.json);
  } else if (body && "stream" in body) {
    headers.set("content-type", body.contentType);
    payload = body.stream;
  } else if (body) {
    headers.set("content-type", body.contentType);
    for (const [name, value] of Object.entries(body.headers ?? {})) headers.set(name, value);
    payload = body.raw;
  }
  return new Request(`http://test${path}`, { method, headers, body: payload, duplex: "half" } as RequestInit);
}

function ctx<P>(params: P) {
  return { params: Promise.resolve(params) };
}

// The REST API's campaign housekeeping: POST …/duplicate, …/archive, …/unarchive and GET /campaigns?archived=true,
// through the real route handlers, keys and error format.
import { describe, expect, it } from "vitest";
import { GET as listRoute, POST as createRoute } from "../../app/api/v1/campaigns/route";
import { GET as getRoute } from "../../app/api/v1/campaigns/[id]/route";
import { POST as actionRoute } from "../../app/api/v1/campaigns/[id]/[action]/route";
import { GET as exportRoute } from "../../app/api/v1/campaigns/[id]/export/route";
import { createApiKey } from "../api-keys/mutations";
import { db } from "../db";
import { uniqueId } from "../test/factories";
import { signUp } from "../tenants/mutations";
import { campaignSchema } from "./openapi";

describe("POST /api/v1/campaigns/{id}/duplicate", () => {
  it("answers 201 with the new draft; unfinished leads leave out the completed ones", async () => {
    const { key } = await newTenant("Duplicate");
    const id = await created(key, "Spring", ["+12125550100", "+13125550101", "+14155550102"]);
    await db.lead.updateMany({ where: { campaignId: id, phone: "+12125550100" }, data: { status: "COMPLETED", attempts: 1, lastOutcome: "COMPLETED" } });
    await db.lead.updateMany({ where: { campaignId: id, phone: "+13125550101" }, data: { status: "NO_ANSWER", attempts: 3, lastOutcome: "NO_ANSWER" } });

    const all = await action(key, id, "duplicate", { leads: "all" });
    expect(all.status).toBe(201);
    const allBody = await all.json();
    expect(campaignSchema.strict().parse(allBody.campaign)).toEqual(allBody.campaign);
    expect(allBody.campaign).toMatchObject({ name: "Spring (copy)", status: "DRAFT", totalLeads: 3, suppressedCount: 0, archivedAt: null });

    const unfinished = await action(key, id, "duplicate", { leads: "unfinished", name: "Retry the rest" });
    expect(unfinished.status).toBe(201);
    const { campaign } = await unfinished.json();
    expect(campaign).toMatchObject({ name: "Retry the rest", status: "DRAFT", totalLeads: 2 });
    const detail = await (await getRoute(request("GET", `/api/v1/campaigns/${campaign.id}`, key), ctx({ id: campaign.id }))).json();
    expect(detail.campaign.counts).toMatchObject({ PENDING: 2, COMPLETED: 0, NO_ANSWER: 0 });
  });

  it("validates the body (422), answers a foreign or unknown campaign with 404 and a running one with 409", async () => {
    const { key } = await newTenant("Refusals");
    const other = await newTenant("Other");
    const id = await created(key, "Mine", ["+12125550100"]);

    const invalid = await action(key, id, "duplicate", { leads: "some", name: "" });
    expect(invalid.status).toBe(422);
    const { error } = await invalid.json();
    expect(error.code).toBe("validation_failed");
    expect(Object.keys(error.fields).sort()).toEqual(["leads", "name"]);
    expect((await action(key, id, "duplicate")).status).toBe(422);

    for (const res of [await action(other.key, id, "duplicate", { leads: "all" }), await action(key, "c0000000000000000000000000000000", "duplicate", { leads: "all" })]) {
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe("not_found");
    }
    expect(await db.campaign.count({ where: { tenantId: other.tenantId } })).toBe(0);

    await db.campaign.update({ where: { id }, data: { status: "RUNNING" } });
    const running = await action(key, id, "duplicate", { leads: "unfinished" });
    expect(running.status).toBe(409);
    expect((await running.json()).error.code).toBe("campaign_running");
    await db.campaign.update({ where: { id }, data: { status: "CANCELLED" } });
  });
});

describe("POST /api/v1/campaigns/{id}/archive and /unarchive", () => {
  it("hide the campaign from GET /campaigns unless archived=true, keep it readable and exportable, refuse to start it", async () => {
    const { key } = await newTenant("Archive");
    await created(key, "Kept", ["+12125550100"]);
    const old = await created(key, "Old", ["+12125550100", "+13125550101"]);

    const archived = await action(key, old, "archive");
    expect(archived.status).toBe(200);
    expect((await archived.json()).campaign.archivedAt).toEqual(expect.any(String));
    expect(await names(key, "")).toEqual(["Kept"]);
    expect(await names(key, "?archived=false")).toEqual(["Kept"]);
    expect(await names(key, "?archived=true")).toEqual(["Old"]);
    expect((await listRoute(request("GET", "/api/v1/campaigns?archived=yes", key), ctx({}))).status).toBe(422);

    expect((await getRoute(request("GET", `/api/v1/campaigns/${old}`, key), ctx({ id: old }))).status).toBe(200);
    const csv = await exportRoute(request("GET", `/api/v1/campaigns/${old}/export`, key), ctx({ id: old }));
    expect(csv.status).toBe(200);
    expect((await csv.text()).trim().split("\r\n")).toHaveLength(3);

    const start = await action(key, old, "start");
    expect(start.status).toBe(409);
    expect((await start.json()).error).toMatchObject({ code: "campaign_archived", message: "Cannot start an archived campaign; unarchive it first." });

    const back = await action(key, old, "unarchive");
    expect((await back.json()).campaign).toMatchObject({ archivedAt: null, status: "DRAFT" });
    expect((await names(key, "")).sort()).toEqual(["Kept", "Old"]);
  });

  it("refuses a running campaign with 409 and another tenant's with 404", async () => {
    const { key } = await newTenant("Running");
    const other = await newTenant("Stranger");
    const id = await created(key, "Busy", ["+12125550100"]);
    await db.campaign.update({ where: { id }, data: { status: "RUNNING" } });
    const refused = await action(key, id, "archive");
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.code).toBe("campaign_running");
    for (const a of ["archive", "unarchive", "duplicate"]) expect((await action(other.key, id, a, a === "duplicate" ? { leads: "all" } : undefined)).status).toBe(404);
    expect((await action(key, id, "shelve")).status).toBe(404);
    await db.campaign.update({ where: { id }, data: { status: "CANCELLED" } });
  });
});

async function newTenant(label: string) {
  const { tenant } = await signUp({ organisation: `${label} ${uniqueId()}`, name: `${label} Owner`, email: `${uniqueId(label.toLowerCase())}@example.test`, password: "correct horse battery" });
  const { key } = await createApiKey(tenant.id, "tests");
  return { tenantId: tenant.id, key };
}

async function created(key: string, name: string, phones: string[]): Promise<string> {
  const res = await createRoute(request("POST", "/api/v1/campaigns", key, { name, leads: phones.map((phone) => ({ phone })) }), ctx({}));
  expect(res.status).toBe(201);
  return (await res.json()).campaign.id;
}

function action(key: string, id: string, name: string, json?: unknown) {
  return actionRoute(request("POST", `/api/v1/campaigns/${id}/${name}`, key, json), ctx({ id, action: name }));
}

async function names(key: string, query: string): Promise<string[]> {
  const res = await listRoute(request("GET", `/api/v1/campaigns${query}`, key), ctx({}));
  expect(res.status).toBe(200);
  return (await res.json()).campaigns.map((c: { name: string }) => c.name);
}

function request(method: string, path: string, key: string, json?: unknown) {
  const headers = new Headers({ authorization: `Bearer ${key}` });
  if (json !== undefined) headers.set("content-type", "application/json");
  return new Request(`http://test${path}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
}

function ctx<P>(params: P) {
  return { params: Promise.resolve(params) };
}

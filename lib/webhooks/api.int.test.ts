// The webhook REST routes through their handlers, against real Postgres and Redis: the secret shown once and
// stored encrypted, validation, tenancy (another tenant's endpoint is a 404 everywhere), the delivery log.
import { describe, expect, it } from "vitest";
import { GET as listRoute, POST as createRoute } from "../../app/api/v1/webhooks/route";
import { DELETE as deleteRoute, GET as getRoute, PATCH as patchRoute } from "../../app/api/v1/webhooks/[endpointId]/route";
import { POST as rollRoute } from "../../app/api/v1/webhooks/[endpointId]/roll-secret/route";
import { GET as deliveriesRoute } from "../../app/api/v1/webhooks/[endpointId]/deliveries/route";
import { POST as redeliverRoute } from "../../app/api/v1/webhooks/[endpointId]/deliveries/[deliveryId]/redeliver/route";
import { createApiKey } from "../api-keys/mutations";
import { db } from "../db";
import { uniqueId } from "../test/factories";
import { signUp } from "../tenants/mutations";
import { openSecret } from "./secret-box";

describe("the webhooks API", () => {
  it("creates an endpoint and answers its secret once; the stored secret is encrypted, and reads never show it", async () => {
    const { key } = await newTenant("Create");
    const res = await createRoute(request("POST", "/api/v1/webhooks", key, { url: "https://crm.example.com/hooks#frag", description: "CRM", events: ["call.completed", "call.completed", "campaign.completed"] }), ctx({}));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(body.endpoint).toMatchObject({ url: "https://crm.example.com/hooks", description: "CRM", events: ["call.completed", "campaign.completed"], enabled: true, status: "active", failingSince: null });
    const stored = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: body.endpoint.id } });
    expect(stored.secretCiphertext).not.toContain(body.secret.slice(6));
    expect(openSecret(stored.secretCiphertext)).toBe(body.secret);
    const list = await (await listRoute(request("GET", "/api/v1/webhooks", key), ctx({}))).json();
    expect(list.endpoints).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain(body.secret);
  });

  it("refuses bad input with the field at fault and creates nothing", async () => {
    const { key, tenantId } = await newTenant("Bad");
    for (const [payload, field] of [
      [{ url: "http://169.254.169.254/latest/meta-data", events: ["*"] }, "url"],
      [{ url: "not a url", events: ["*"] }, "url"],
      [{ url: "https://crm.example.com/", events: ["call.exploded"] }, "events.0"],
      [{ url: "https://crm.example.com/", events: [] }, "events"],
    ] as const) {
      const res = await createRoute(request("POST", "/api/v1/webhooks", key, payload), ctx({}));
      expect(res.status, JSON.stringify(payload)).toBe(422);
      expect((await res.json()).error.fields, JSON.stringify(payload)).toHaveProperty([field]);
    }
    expect(await db.webhookEndpoint.count({ where: { tenantId } })).toBe(0);
  });

  it("changes, rolls and deletes an endpoint; another tenant's key gets 404 for all of it", async () => {
    const owner = await newTenant("Owner");
    const other = await newTenant("Other");
    const { endpoint, secret } = await (await createRoute(request("POST", "/api/v1/webhooks", owner.key, { url: "https://crm.example.com/a", events: ["*"] }), ctx({}))).json();
    const p = { endpointId: endpoint.id };
    const foreign = [
      await getRoute(request("GET", "/x", other.key), ctx(p)),
      await patchRoute(request("PATCH", "/x", other.key, { enabled: false }), ctx(p)),
      await rollRoute(request("POST", "/x", other.key), ctx(p)),
      await deliveriesRoute(request("GET", "/x", other.key), ctx(p)),
      await redeliverRoute(request("POST", "/x", other.key), ctx({ ...p, deliveryId: "whd_x" })),
      await deleteRoute(request("DELETE", "/x", other.key), ctx(p)),
    ];
    for (const res of foreign) expect(res.status).toBe(404);
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).enabled).toBe(true);

    const patched = await (await patchRoute(request("PATCH", "/x", owner.key, { enabled: false, events: ["lead.suppressed"] }), ctx(p))).json();
    expect(patched.endpoint).toMatchObject({ enabled: false, status: "disabled", events: ["lead.suppressed"] });
    const rolled = await (await rollRoute(request("POST", "/x", owner.key), ctx(p))).json();
    expect(rolled.secret).not.toBe(secret);
    const log = await (await deliveriesRoute(request("GET", "/x", owner.key), ctx(p))).json();
    expect(log).toEqual({ attempts: [], counts: { pending: 0, succeeded: 0, failed: 0 } });
    expect((await deleteRoute(request("DELETE", "/x", owner.key), ctx(p))).status).toBe(204);
    expect((await getRoute(request("GET", "/x", owner.key), ctx(p))).status).toBe(404);
  });
});

async function newTenant(label: string) {
  const { tenant } = await signUp({ organisation: `${label} ${uniqueId()}`, name: `${label} Owner`, email: `${uniqueId(label.toLowerCase())}@example.test`, password: "correct horse battery" });
  const { key } = await createApiKey(tenant.id, "tests");
  return { tenantId: tenant.id, key };
}

function request(method: string, path: string, key: string, json?: unknown) {
  const headers = new Headers({ authorization: `Bearer ${key}` });
  if (json !== undefined) headers.set("content-type", "application/json");
  return new Request(`http://localhost${path}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
}

function ctx<P>(params: P) {
  return { params: Promise.resolve(params) };
}

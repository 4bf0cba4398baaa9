// The REST API's per-key rate limit and JSON body cap, through the route handlers, against real Postgres and Redis.
import { describe, expect, it, vi } from "vitest";
import { createApiKey } from "../api-keys/mutations";
import { db } from "../db";
import { uniqueId } from "../test/factories";
import { signUp } from "../tenants/mutations";

// Small limits, set before any module reads the environment (vi.hoisted runs ahead of the imports).
vi.hoisted(() => {
  process.env.API_RATE_LIMIT_PER_MIN = "3";
  process.env.API_JSON_MAX_BYTES = String(64 * 1024);
});

const { GET: meRoute } = await import("../../app/api/v1/me/route");
const { GET: listRoute, POST: createRoute } = await import("../../app/api/v1/campaigns/route");

describe("per-key rate limit", () => {
  it("answers 429 with Retry-After and RateLimit-* once a key used its minute, and counts each key on its own", async () => {
    const { tenantId, key } = await newTenant("Busy");
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await meRoute(get("/api/v1/me", key), ctx());
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBe("3");
      remaining.push(res.headers.get("ratelimit-remaining"));
    }
    expect(remaining).toEqual(["2", "1", "0"]);

    // Every keyed route shares the key's budget.
    const refused = await listRoute(get("/api/v1/campaigns", key), ctx());
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatchObject({ code: "rate_limited", message: expect.stringContaining("3 requests in a minute") });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("ratelimit-limit")).toBe("3");
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(refused.headers.get("ratelimit-reset")).toBe(String(retryAfter));

    const other = await createApiKey(tenantId, "second key");
    expect((await meRoute(get("/api/v1/me", other.key), ctx())).status).toBe(200);
  });

  it("does not count requests without a valid key against anyone", async () => {
    const { key } = await newTenant("Guarded");
    for (let i = 0; i < 5; i++) expect((await meRoute(get("/api/v1/me", "fdk_live_0000000000000000000000000000000x"), ctx())).status).toBe(401);
    expect((await meRoute(get("/api/v1/me", key), ctx())).headers.get("ratelimit-remaining")).toBe("2");
  });
});

describe("JSON body cap", () => {
  const leads = Array.from({ length: 1500 }, (_, i) => ({ phone: `+1212555${String(i).padStart(4, "0")}`, name: `Lead number ${i}` }));
  const oversized = JSON.stringify({ name: "Too big", leads });

  it("answers 413 for a JSON body whose Content-Length is over API_JSON_MAX_BYTES, and creates nothing", async () => {
    expect(Buffer.byteLength(oversized)).toBeGreaterThan(64 * 1024);
    const { tenantId, key } = await newTenant("Declared");
    const res = await createRoute(post(key, oversized, { "content-length": String(Buffer.byteLength(oversized)) }), ctx());
    expect(res.status).toBe(413);
    expect((await res.json()).error).toEqual({ code: "too_large", message: "The JSON body is larger than 64 KB; send fewer leads per request, or upload them as a CSV." });
    expect(res.headers.get("ratelimit-remaining")).toBe("2");
    expect(await db.campaign.count({ where: { tenantId } })).toBe(0);
  });

  it("cuts off a streamed JSON body (no Content-Length) once it passes the cap, and creates nothing", async () => {
    const { tenantId, key } = await newTenant("Chunked");
    let pulled = 0;
    const chunk = new TextEncoder().encode(`${JSON.stringify({ phone: "+12125550100" })},`.repeat(200));
    // An endless body: only the cap ends it.
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await createRoute(post(key, endless), ctx());
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("too_large");
    expect(pulled).toBeLessThan(64 * 1024 + 2 * chunk.byteLength);
    expect(await db.campaign.count({ where: { tenantId } })).toBe(0);
  });

  it("takes a JSON body under the cap", async () => {
    const { key } = await newTenant("Small");
    const res = await createRoute(post(key, JSON.stringify({ name: "Fits", leads: leads.slice(0, 100) })), ctx());
    expect(res.status).toBe(201);
    expect((await res.json()).import.imported).toBe(100);
  });
});

async function newTenant(label: string) {
  const { tenant } = await signUp({ organisation: `${label} ${uniqueId()}`, name: `${label} Owner`, email: `${uniqueId(label.toLowerCase())}@example.test`, password: "correct horse battery" });
  const { key } = await createApiKey(tenant.id, "tests");
  return { tenantId: tenant.id, key };
}

function ctx() {
  return { params: Promise.resolve({}) as Promise<Record<string, never>> };
}

function get(path: string, key: string) {
  return new Request(`http://test${path}`, { headers: { authorization: `Bearer ${key}` } });
}

function post(key: string, body: BodyInit, headers: Record<string, string> = {}) {
  return new Request("http://test/api/v1/campaigns", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

// /api/metrics and /api/health are reachable without a session: what they give away, and to whom.
import { describe, expect, it, vi } from "vitest";

const TOKEN = "metrics-token-0123456789abcdef0123456789";
vi.hoisted(() => {
  process.env.METRICS_TOKEN = "metrics-token-0123456789abcdef0123456789";
});

const { GET: metrics } = await import("../app/api/metrics/route");
const { GET: health } = await import("../app/api/health/route");

describe("GET /api/metrics", () => {
  const call = (authorization?: string) => metrics(new Request("http://test/api/metrics", { headers: authorization ? { authorization } : {} }));

  it("answers 401 to every wrong token, whatever its length, and 200 with metrics to the right one", async () => {
    for (const wrong of [undefined, "Bearer x", `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}0`, `Bearer ${TOKEN.toUpperCase()}`, `Bearer ${"é".repeat(TOKEN.length)}`, TOKEN]) {
      const res = await call(wrong);
      expect(res.status, wrong).toBe(401);
      expect(await res.text()).not.toContain("fairdial_");
    }
    const res = await call(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("# TYPE fairdial_queue_depth gauge");
  });
});

describe("GET /api/health", () => {
  it("says ok or fail per part and nothing more", async () => {
    const res = await health();
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ db: "ok", redis: "ok" });
  });
});

// With Postgres and Redis unreachable, /api/health says which part failed, but not why or where.
import { describe, expect, it, vi } from "vitest";

// Closed ports on loopback, before any module reads the environment.
vi.hoisted(() => {
  process.env.DATABASE_URL = "postgresql://fairdial:secret-pw@127.0.0.1:9/fairdial_missing";
  process.env.REDIS_URL = "redis://127.0.0.1:9";
  process.env.LOG_LEVEL = "silent";
});

const { GET: health } = await import("../app/api/health/route");

describe("GET /api/health when its services are down", () => {
  it("answers 503 with fail per part and no error text, address or credential", async () => {
    const res = await health();
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toStrictEqual({ db: "fail", redis: "fail" });
    for (const leak of ["127.0.0.1", ":9", "ECONNREFUSED", "secret-pw", "error"]) expect(text).not.toContain(leak);
  });
});

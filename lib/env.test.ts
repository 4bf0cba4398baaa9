import { describe, expect, it } from "vitest";
import { DEV_NEXTAUTH_SECRET, EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("uses the local services when nothing is configured", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toMatch(/^postgresql:\/\/.*:54329\/fairdial$/);
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:63799");
    expect(env.DISPATCH_MODE).toBe("fair");
    expect(env.SCHEDULER_TICK_MS).toBe(5000);
  });

  it("rejects a malformed DATABASE_URL with a message naming the variable and the expected shape", () => {
    expect(() => parseEnv({ DATABASE_URL: "localhost:5432/db" })).toThrow(EnvError);
    expect(() => parseEnv({ DATABASE_URL: "mysql://u:p@h/db" })).toThrow(/DATABASE_URL: must be a URL like postgresql:\/\/user:password@host:5432\/database/);
  });

  it("rejects an unknown dispatch mode and a non-numeric tick", () => {
    expect(() => parseEnv({ DISPATCH_MODE: "lifo", SCHEDULER_TICK_MS: "soon" })).toThrow(/DISPATCH_MODE[\s\S]*SCHEDULER_TICK_MS/);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ REDIS_URL: "" }).REDIS_URL).toBe("redis://127.0.0.1:63799");
  });
});

describe("production mode", () => {
  const safe = {
    NODE_ENV: "production",
    DATABASE_URL: "postgresql://app:pw@db.internal:5432/fairdial",
    REDIS_URL: "redis://redis.internal:6379",
    NEXTAUTH_SECRET: "q0Vx3rJ8s9mZ2LwPa7TbYc5Nd1Ke4Hf6Gu8Ri0Oj2Ql",
    NEXTAUTH_URL: "https://dial.example.com",
  };

  it("starts with a strong secret, an https URL and explicit services", () => {
    expect(parseEnv(safe).NODE_ENV).toBe("production");
  });

  it.each([
    [{ NEXTAUTH_SECRET: undefined }, /NEXTAUTH_SECRET is not set/],
    [{ NEXTAUTH_SECRET: DEV_NEXTAUTH_SECRET }, /NEXTAUTH_SECRET is the public development default/],
    [{ NEXTAUTH_SECRET: "short-but-over-16-chars" }, /NEXTAUTH_SECRET is shorter than 32 bytes/],
    [{ NEXTAUTH_URL: "http://dial.example.com" }, /NEXTAUTH_URL \(http:\/\/dial\.example\.com\) is not https/],
    [{ METRICS_TOKEN: "metrics" }, /METRICS_TOKEN is shorter than 32 characters/],
    [{ DATABASE_URL: undefined }, /DATABASE_URL is not set/],
    [{ REDIS_URL: undefined }, /REDIS_URL is not set/],
  ])("refuses %o with one line naming the variable", (override, reason) => {
    const attempt = () => parseEnv({ ...safe, ...override });
    expect(attempt).toThrow(EnvError);
    expect(attempt).toThrow(reason);
    expect(() => parseEnv({ ...safe, ...override })).toThrow(/^fairdial refuses to start in production: [^\n]+$/);
  });

  it("accepts plain http only when explicitly allowed", () => {
    expect(parseEnv({ ...safe, NEXTAUTH_URL: "http://10.0.0.5:3000", ALLOW_INSECURE_HTTP: "1" }).ALLOW_INSECURE_HTTP).toBe(true);
  });

  it("does not apply to development, tests or the production build step", () => {
    expect(() => parseEnv({ NODE_ENV: "development" })).not.toThrow();
    expect(() => parseEnv({ NODE_ENV: "test" })).not.toThrow();
    expect(() => parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" })).not.toThrow();
  });
});

describe("scale-out settings", () => {
  it("makes the key prefix a cluster hash tag, whether or not it is written as one", () => {
    expect(parseEnv({}).QUEUE_PREFIX).toBe("{fairdial}");
    expect(parseEnv({ QUEUE_PREFIX: "acme-prod" }).QUEUE_PREFIX).toBe("{acme-prod}");
    expect(parseEnv({ QUEUE_PREFIX: "{acme-prod}" }).QUEUE_PREFIX).toBe("{acme-prod}");
    expect(() => parseEnv({ QUEUE_PREFIX: "a b" })).toThrow(EnvError);
  });

  it("reads cluster seed nodes as host:port pairs, and refuses anything else", () => {
    expect(parseEnv({}).REDIS_CLUSTER_NODES).toEqual([]);
    expect(parseEnv({ REDIS_CLUSTER_NODES: "10.0.0.1:6379, redis-2.internal:6380" }).REDIS_CLUSTER_NODES).toEqual(["10.0.0.1:6379", "redis-2.internal:6380"]);
    expect(() => parseEnv({ REDIS_CLUSTER_NODES: "10.0.0.1" })).toThrow(/REDIS_CLUSTER_NODES/);
  });

  it("sizes both database pools and knows PgBouncer", () => {
    const config = parseEnv({ PG_POOL_MAX: "5", DB_POOL_MAX: "4", DATABASE_POOLER: "pgbouncer" });
    expect([config.PG_POOL_MAX, config.DB_POOL_MAX, config.DATABASE_POOLER]).toEqual([5, 4, "pgbouncer"]);
    expect(() => parseEnv({ DATABASE_POOLER: "odyssey" })).toThrow(EnvError);
  });
});

import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

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

import { describe, expect, it } from "vitest";
import { parseEnv } from "../env";
import { newTenantDefaults } from "./defaults";

describe("newTenantDefaults", () => {
  const now = new Date("2026-12-02T10:00:00Z");

  it("caps a new tenant at the platform defaults, 10 calls in flight and 2 per second unless configured", () => {
    expect(newTenantDefaults(parseEnv({}), now)).toEqual({ maxConcurrent: 10, maxCps: 2, approvedAt: now });
    expect(newTenantDefaults(parseEnv({ TENANT_DEFAULT_MAX_CONCURRENT: "25", TENANT_DEFAULT_MAX_CPS: "0.5" }), now)).toMatchObject({ maxConcurrent: 25, maxCps: 0.5 });
  });

  it("leaves a tenant unapproved in approval mode", () => {
    expect(newTenantDefaults(parseEnv({ SIGNUP_MODE: "approval" }), now).approvedAt).toBeNull();
  });
});

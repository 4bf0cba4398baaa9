import { describe, expect, it } from "vitest";
import { fairnessView } from "./overview";

const tenant = (id: string, weight: number, pendingLeads = 100) => ({ id, weight, pendingLeads, inFlight: 0, paused: false });

describe("fairnessView", () => {
  it("compares achieved shares with weighted entitlements among tenants that wanted calls", () => {
    const history = [
      { bucketStart: 0, perTenant: { a: 10, b: 20 } },
      { bucketStart: 10_000, perTenant: { a: 10, b: 20 } },
    ];
    const view = fairnessView(history, [tenant("a", 1), tenant("b", 2), tenant("idle", 5, 0)]);
    expect(view.shares).toEqual([
      { tenantId: "a", dispatched: 20, share: 20 / 60, entitled: 1 / 3 },
      { tenantId: "b", dispatched: 40, share: 40 / 60, entitled: 2 / 3 },
    ]);
    expect(view.jain).toBeCloseTo(1, 10);
  });

  it("shows unfairness when a backlogged tenant gets nothing", () => {
    const view = fairnessView([{ bucketStart: 0, perTenant: { a: 50 } }], [tenant("a", 1), tenant("starved", 1)]);
    expect(view.jain).toBeCloseTo(0.5, 5);
    expect(view.shares.find((s) => s.tenantId === "starved")).toMatchObject({ share: 0, entitled: 0.5 });
  });

  it("has no index when nothing was dispatched", () => {
    expect(fairnessView([], [tenant("a", 1)]).jain).toBeNull();
  });
});

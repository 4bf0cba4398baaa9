import { describe, expect, it } from "vitest";
import { fairnessView } from "./overview";

const tenant = (id: string, weight: number, dispatchable = 100, paused = false) => ({ id, weight, dispatchable, paused });

describe("fairnessView", () => {
  it("compares the last minute's shares with weighted entitlements among backlogged tenants", () => {
    const history = [
      { bucketStart: 0, perTenant: { a: 10, b: 20 } },
      { bucketStart: 10_000, perTenant: { a: 10, b: 20 } },
    ];
    const view = fairnessView(history, [tenant("a", 1), tenant("b", 2), tenant("idle", 5, 0)]);
    expect(view.shares).toEqual([
      { tenantId: "b", dispatched: 40, share: 40 / 60, entitled: 2 / 3 },
      { tenantId: "a", dispatched: 20, share: 20 / 60, entitled: 1 / 3 },
    ]);
    expect(view.jain).toBeCloseTo(1, 10);
  });

  it("shows unfairness when a backlogged tenant gets nothing", () => {
    const view = fairnessView([{ bucketStart: 0, perTenant: { a: 50 } }], [tenant("a", 1), tenant("starved", 1)]);
    expect(view.jain).toBeCloseTo(0.5, 5);
    expect(view.shares.find((s) => s.tenantId === "starved")).toMatchObject({ share: 0, entitled: 0.5 });
  });

  it("does not count a tenant whose small campaign is done as short-changed", () => {
    const view = fairnessView([{ bucketStart: 0, perTenant: { big: 400, small: 20 } }], [tenant("big", 1), tenant("small", 1, 0)]);
    expect(view.shares.find((s) => s.tenantId === "small")!.entitled).toBeNull();
    expect(view.jain).toBe(1);
  });

  it("looks at the last minute only", () => {
    const old = Array.from({ length: 24 }, (_, i) => ({ bucketStart: i * 10_000, perTenant: { a: 100 } }));
    const recent = Array.from({ length: 6 }, (_, i) => ({ bucketStart: (24 + i) * 10_000, perTenant: { a: 10, b: 10 } }));
    const view = fairnessView([...old, ...recent], [tenant("a", 1), tenant("b", 1)]);
    expect(view.jain).toBeCloseTo(1, 10);
  });

  it("has no index when nothing was dispatched", () => {
    expect(fairnessView([], [tenant("a", 1)]).jain).toBeNull();
  });
});

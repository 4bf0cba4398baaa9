// Where the scheduler puts a tick's jobs: the head round on a wake-up (who is owed one, in which order) and the
// front of the queue between wake-ups (who joined the backlog). Pure functions of scheduler.ts, shared with the
// fairness-spike model.
import { describe, expect, it } from "vitest";
import { backloggedTenants, claimParts, owedHeadRound, splitFront } from "./scheduler";

const tenant = (id: string, inFlight: number, weight = 1, paused = false) => ({ id, inFlight, weight, paused });

describe("owedHeadRound", () => {
  it("owes a head round to a tenant with nothing queued and nothing in flight", () => {
    expect(owedHeadRound(tenant("a", 0), 0, undefined)).toBe(true);
    expect(owedHeadRound(tenant("a", 0, 1, true), 0, undefined)).toBe(false);
  });

  it("owes one to the tenant a wake-up named while a round of its calls is still in flight, not more", () => {
    const woken = new Set(["trickle"]);
    expect(owedHeadRound(tenant("trickle", 1), 0, woken)).toBe(true);
    expect(owedHeadRound(tenant("trickle", 2, 2), 0, woken)).toBe(true);
    // Pausing and resuming in a loop buys one round of lines, no more.
    expect(owedHeadRound(tenant("trickle", 2), 0, woken)).toBe(false);
    // Something of it waits in the queue already: no need to jump it.
    expect(owedHeadRound(tenant("trickle", 1), 1, woken)).toBe(false);
    // A tenant the wake-up did not name, with a call in flight, waits for the rounds.
    expect(owedHeadRound(tenant("other", 1), 0, woken)).toBe(false);
  });
});

describe("splitFront", () => {
  const jobs = [
    { tenantId: "old", n: 1 },
    { tenantId: "new", n: 2 },
    { tenantId: "old", n: 3 },
    { tenantId: "new", n: 4 },
  ];
  const campaigns = [
    { tenantId: "old", weight: 1 },
    { tenantId: "new", weight: 1 },
  ];

  it("puts the first round of a tenant that joined the backlog in front, and leaves one backlogged all along in order", () => {
    const { front, back } = splitFront(jobs, campaigns, [], new Map(), new Set(["old"]));
    expect(front.map((j) => j.n)).toEqual([2]);
    expect(back.map((j) => j.n)).toEqual([1, 3, 4]);
  });

  it("puts nobody in front who has jobs queued, had a head round, or when the queue is short (no campaigns given)", () => {
    expect(splitFront(jobs, campaigns, [], new Map([["new", { queued: 1 }]]), new Set(["old"])).front).toEqual([]);
    expect(splitFront(jobs, campaigns, [{ tenantId: "new" }], new Map(), new Set(["old"])).front).toEqual([]);
    expect(splitFront(jobs, [], [], new Map(), new Set()).front).toEqual([]);
  });

  it("knows who was backlogged from the campaigns' dialable work", () => {
    expect(backloggedTenants([{ tenantId: "a", dialable: 3 }, { tenantId: "b", dialable: 0 }, { tenantId: "a", dialable: 0 }])).toEqual(new Set(["a"]));
  });
});

describe("claimParts", () => {
  const tenantOf = new Map([
    ["a1", "a"],
    ["a2", "a"],
    ["b1", "b"],
    ["c1", "c"],
  ]);

  it("keeps a small claim in one transaction", () => {
    const requests = [{ campaignId: "a1", n: 100 }, { campaignId: "b1", n: 100 }];
    expect(claimParts(requests, tenantOf, 2, 250)).toEqual([requests]);
  });

  it("splits a big claim into balanced parts of whole tenants, every request exactly once", () => {
    const requests = [{ campaignId: "a1", n: 300 }, { campaignId: "b1", n: 500 }, { campaignId: "a2", n: 200 }, { campaignId: "c1", n: 400 }];
    const parts = claimParts(requests, tenantOf, 2, 250);
    expect(parts).toHaveLength(2);
    // Tenant a's two campaigns share its cap: never split between parts.
    const partOf = (id: string) => parts.findIndex((p) => p.some((r) => r.campaignId === id));
    expect(partOf("a1")).toBe(partOf("a2"));
    expect(parts.flat().map((r) => r.campaignId).sort()).toEqual(["a1", "a2", "b1", "c1"]);
    const leads = parts.map((p) => p.reduce((s, r) => s + r.n, 0)).sort((x, y) => x - y);
    expect(leads).toEqual([500, 900]);
  });

  it("never makes more parts than tenants", () => {
    const requests = [{ campaignId: "a1", n: 1000 }, { campaignId: "a2", n: 1000 }];
    expect(claimParts(requests, tenantOf, 2, 250)).toEqual([requests]);
  });
});

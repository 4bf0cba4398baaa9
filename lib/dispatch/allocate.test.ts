import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Allocation, type AllocationState, type TenantInput, allocate, emptyAllocationState } from "./allocate";
import { weightedJain } from "./fairness";

// Backlog that no test exhausts: "permanently backlogged".
const BIG = 1_000_000;

describe("allocate: limits", () => {
  it("gives nothing to paused tenants, tenants at their cap and tenants without backlog", () => {
    const plan = allocate(
      [
        tenant("paused", { paused: true }),
        tenant("full", { cap: 5, inFlight: 5 }),
        tenant("over", { cap: 5, inFlight: 9 }),
        tenant("idle", { campaigns: [{ id: "idle-c1", backlog: 0 }] }),
        tenant("none", { campaigns: [] }),
        tenant("open"),
      ],
      10,
      emptyAllocationState(),
    );
    expect(plan.perTenant).toEqual({ open: 10 });
  });

  it("stops a tenant at its cap room and a campaign at its backlog, and gives the rest to the others", () => {
    const plan = allocate(
      [
        tenant("a", { cap: 10, inFlight: 7 }),
        tenant("b", { weight: 8, campaigns: [{ id: "b-c1", backlog: 2 }, { id: "b-c2", backlog: BIG }] }),
        tenant("c", { campaigns: [{ id: "c-c1", backlog: 4 }] }),
      ],
      100,
      emptyAllocationState(),
    );
    expect(plan.perTenant).toEqual({ a: 3, b: 93, c: 4 });
    expect(plan.perCampaign).toMatchObject({ "b-c1": 2, "b-c2": 91 });
  });

  it("never exceeds the budget, a cap, a backlog; uses the whole budget while anyone can take work", () => {
    fc.assert(
      fc.property(scenarioArb, ({ tenants, budget, state }) => {
        deepFreeze(tenants);
        deepFreeze(state);
        const plan = allocate(tenants, budget, state);
        const room = tenants.reduce((sum, t) => sum + admissible(t), 0);
        expect(plan.slots.length).toBe(Math.min(budget, room));

        const byTenant = countBy(plan.slots.map((s) => s.tenantId));
        const byCampaign = countBy(plan.slots.map((s) => s.campaignId));
        expect(plan.perTenant).toEqual(byTenant);
        expect(plan.perCampaign).toEqual(byCampaign);
        for (const t of tenants) {
          expect(byTenant[t.id] ?? 0).toBeLessThanOrEqual(admissible(t));
          for (const c of t.campaigns) expect(byCampaign[c.id] ?? 0).toBeLessThanOrEqual(Math.max(0, c.backlog));
        }
        const owner = new Map(tenants.flatMap((t) => t.campaigns.map((c) => [c.id, t.id])));
        for (const s of plan.slots) expect(owner.get(s.campaignId)).toBe(s.tenantId);
      }),
    );
  });
});

describe("allocate: weighted shares", () => {
  it("interleaves a round by weight: 1, 1, 2 publish a, b, c, c", () => {
    const tenants = [tenant("a"), tenant("b"), tenant("c", { weight: 2 })];
    expect(allocate(tenants, 8, emptyAllocationState()).slots.map((s) => s.tenantId).join("")).toBe("abccabcc");
  });

  it("rotates 10 equal tenants fairly through ticks of budget 3", () => {
    const tenants = Array.from({ length: 10 }, (_, i) => tenant(`t${i}`));
    const { allocations } = runTicks(() => tenants, Array(10).fill(3));
    expect(Object.values(cumulative(allocations))).toEqual(Array(10).fill(3));
  });

  // A per-tick proportional split of budget 3 gives weight 1 out of 33 nothing, tick after tick. DRR's lag is
  // below one round's credit (w slots), so the relative error is below W / slots: small budgets run for 60
  // rounds rather than 1,000 ticks, to make that error small enough to see 2%.
  it.each([1, 3, 7, 50, 500])("converges to the weights at budget %i per tick", (budget) => {
    const weights = [1, 1, 1, 2, 2, 3, 4, 5, 6, 8];
    const total = weights.reduce((a, b) => a + b, 0);
    const tenants = weights.map((weight, i) => tenant(`t${i}`, { weight }));
    const ticks = Math.max(1000, Math.ceil((60 * total) / budget));
    const counts = cumulative(runTicks(() => tenants, Array(ticks).fill(budget)).allocations);
    const slots = ticks * budget;
    for (const [i, t] of tenants.entries()) {
      expect(Math.abs(counts[t.id] / ((slots * weights[i]) / total) - 1)).toBeLessThan(0.02);
    }
    expect(weightedJain(tenants.map((t) => counts[t.id]), weights)).toBeGreaterThan(0.999);
  });

  it("keeps every backlogged tenant within its weight of its exact share after every tick", () => {
    fc.assert(
      fc.property(
        fc.array(weightArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 40 }),
        (weights, budgets) => {
          const tenants = weights.map((weight, i) => tenant(`t${i}`, { weight }));
          const total = weights.reduce((a, b) => a + b, 0);
          const counts: Record<string, number> = {};
          let slots = 0;
          let state = emptyAllocationState();
          for (const budget of budgets) {
            const plan = allocate(tenants, budget, state);
            state = plan.state;
            slots += plan.slots.length;
            for (const [id, n] of Object.entries(plan.perTenant)) counts[id] = (counts[id] ?? 0) + n;
            for (const [i, t] of tenants.entries()) {
              expect(Math.abs((counts[t.id] ?? 0) - (slots * weights[i]) / total)).toBeLessThanOrEqual(weights[i]);
            }
          }
        },
      ),
    );
  });
});

describe("allocate: no starvation", () => {
  // A tenant waits at most for the credits the others have left in this round (W − w) plus its turn in the
  // next sweep (N − 1 tenants), and a backlogged uncapped tenant keeps every tick's budget fully used.
  it("serves a backlogged tenant within ⌈(W − w + N) / B⌉ ticks, while others come and go", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ weight: weightArb, flaky: fc.boolean(), phase: fc.nat(2) }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 6 }),
        (rows, budget, warmup) => {
          const at = (tick: number) =>
            rows.map((r, i) => tenant(`t${i}`, { weight: r.weight, paused: r.flaky && (tick + r.phase) % 3 === 0 }));
          const total = rows.reduce((sum, r) => sum + r.weight, 0);
          const windows = rows.map((r) => Math.ceil((total - r.weight + rows.length) / budget));
          const horizon = 3 * Math.max(...windows) + 1;
          const { allocations } = runTicks(at, [...warmup, ...Array(horizon).fill(budget)]);
          const observed = allocations.slice(warmup.length);
          for (const [i, r] of rows.entries()) {
            if (r.flaky) continue;
            const served = observed.map((plan) => (plan.perTenant[`t${i}`] ?? 0) > 0);
            for (let start = 0; start + windows[i] <= served.length; start++) {
              expect(served.slice(start, start + windows[i])).toContain(true);
            }
          }
        },
      ),
    );
  });
});

describe("allocate: campaigns", () => {
  it("gives a tenant with 30 campaigns the same total as a tenant with 1, split evenly", () => {
    const many = tenant("many", { campaigns: Array.from({ length: 30 }, (_, i) => ({ id: `many-c${i}`, backlog: BIG })) });
    const { allocations } = runTicks(() => [many, tenant("one")], Array(300).fill(7));
    expect(cumulative(allocations)).toEqual({ many: 1050, one: 1050 });
    const perCampaign = cumulative(allocations, "perCampaign");
    for (const c of many.campaigns) expect(perCampaign[c.id]).toBe(35);
  });

  it("keeps a tenant's campaigns within one slot of each other, through caps, pauses and rivals", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
        fc.array(fc.record({ budget: fc.integer({ min: 0, max: 60 }), paused: fc.boolean() }), { minLength: 1, maxLength: 40 }),
        (campaignCount, cap, ticks) => {
          const campaigns = Array.from({ length: campaignCount }, (_, i) => ({ id: `x-c${i}`, backlog: BIG }));
          const counts: Record<string, number> = Object.fromEntries(campaigns.map((c) => [c.id, 0]));
          let state = emptyAllocationState();
          for (const { budget, paused } of ticks) {
            const tenants = [tenant("x", { campaigns, cap, paused }), tenant("y", { weight: 3 })];
            const plan = allocate(tenants, budget, state);
            state = plan.state;
            for (const c of campaigns) counts[c.id] += plan.perCampaign[c.id] ?? 0;
            expect(Math.max(...Object.values(counts)) - Math.min(...Object.values(counts))).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });

  it("skips campaigns without backlog and moves on when one runs dry", () => {
    const t = tenant("a", {
      campaigns: [
        { id: "a-c1", backlog: 1 },
        { id: "a-c2", backlog: 0 },
        { id: "a-c3", backlog: BIG },
      ],
    });
    expect(allocate([t], 4, emptyAllocationState()).slots.map((s) => s.campaignId)).toEqual(["a-c1", "a-c3", "a-c3", "a-c3"]);
  });

  it("starts from the first campaign when the one it would serve next has ended", () => {
    const campaigns = ["c1", "c2", "c3"].map((id) => ({ id, backlog: BIG }));
    const first = allocate([tenant("a", { campaigns })], 2, emptyAllocationState());
    expect(first.state.campaignCursors).toEqual({ a: "c3" });
    const next = allocate([tenant("a", { campaigns: campaigns.slice(0, 2) })], 2, first.state);
    expect(next.slots.map((s) => s.campaignId)).toEqual(["c1", "c2"]);
  });
});

describe("allocate: interleaving", () => {
  it("opens a fresh plan with one slot for each tenant that can take work", () => {
    fc.assert(
      fc.property(tenantsArb, fc.integer({ min: 0, max: 500 }), (tenants, budget) => {
        const eligible = tenants.filter((t) => admissible(t) > 0).map((t) => t.id);
        const head = allocate(tenants, budget, emptyAllocationState()).slots.slice(0, eligible.length).map((s) => s.tenantId);
        expect(new Set(head).size).toBe(head.length);
        if (budget >= eligible.length) expect(new Set(head)).toEqual(new Set(eligible));
      }),
    );
  });

  it("never runs a tenant past its weight while another can still take work", () => {
    fc.assert(
      fc.property(scenarioArb, ({ tenants, budget, state }) => {
        const plan = allocate(tenants, budget, state);
        for (const run of runsOf(plan.slots.map((s) => s.tenantId))) {
          const owner = tenants.find((t) => t.id === run.id)!;
          if (run.length <= owner.weight) continue;
          for (const other of tenants) {
            if (other.id !== run.id) expect(plan.perTenant[other.id] ?? 0).toBe(admissible(other));
          }
        }
      }),
    );
  });
});

describe("allocate: state", () => {
  it("plans the same for the same inputs, whatever the order of the tenants", () => {
    fc.assert(
      fc.property(
        scenarioArb.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s.tenants, { minLength: s.tenants.length }))),
        ([{ tenants, budget, state }, shuffled]) => {
          const plan = allocate(tenants, budget, state);
          expect(allocate(tenants, budget, state)).toEqual(plan);
          expect(allocate(shuffled, budget, state)).toEqual(plan);
        },
      ),
    );
  });

  it("hands the next tick a JSON-safe state that plans the same after a round trip through Redis", () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 500 }), ({ tenants, budget, state }, nextBudget) => {
        const next = allocate(tenants, budget, state).state;
        const stored = JSON.parse(JSON.stringify(next)) as AllocationState;
        expect(stored).toEqual(next);
        expect(allocate(tenants, nextBudget, stored)).toEqual(allocate(tenants, nextBudget, next));
        const weight = new Map(tenants.map((t) => [t.id, t.weight]));
        for (const [id, credit] of Object.entries(next.deficits)) {
          expect(Number.isInteger(credit) && credit >= 1 && credit <= weight.get(id)!).toBe(true);
        }
      }),
    );
  });

  it("drops the credit of tenants that stop taking work, and the campaign cursor of those gone or emptied", () => {
    const campaignsOf = (id: string) => ["c1", "c2"].map((c) => ({ id: `${id}-${c}`, backlog: BIG }));
    const all = ["gone", "empty", "paused", "full", "kept"].map((id) => tenant(id, { weight: 5, campaigns: campaignsOf(id) }));
    const before = allocate(all, all.length, emptyAllocationState()).state;
    expect(Object.keys(before.deficits).sort()).toEqual(["empty", "full", "gone", "kept", "paused"]);

    const after = allocate(
      [
        tenant("empty", { weight: 5, campaigns: [] }),
        tenant("paused", { weight: 5, paused: true, campaigns: campaignsOf("paused") }),
        tenant("full", { weight: 5, cap: 3, inFlight: 3, campaigns: campaignsOf("full") }),
        tenant("kept", { weight: 5, campaigns: campaignsOf("kept") }),
      ],
      0,
      before,
    ).state;
    expect(after.deficits).toEqual({ kept: 4 });
    expect(after.campaignCursors).toEqual({ paused: "paused-c2", full: "full-c2", kept: "kept-c2" });
  });

  it("does not let a tenant cash in credit saved while it was idle", () => {
    const busy = tenant("a", { weight: 4 });
    const idle = tenant("a", { weight: 4, campaigns: [] });
    const { allocations } = runTicks((tick) => [tick === 1 ? idle : busy, tenant("b")], [1, 1, 5]);
    expect(allocations[0].state.deficits).toEqual({ a: 3, b: 1 });
    expect(allocations[1].state.deficits).toEqual({});
    expect(allocations[2].slots.map((s) => s.tenantId).join("")).toBe("baaaa");
  });

  it("keeps the round where it is when the budget is 0", () => {
    const tenants = [tenant("a", { weight: 3 }), tenant("b", { weight: 2 })];
    const state = allocate(tenants, 2, emptyAllocationState()).state;
    const idle = allocate(tenants, 0, state);
    expect(idle.slots).toEqual([]);
    expect(idle.state).toEqual(state);
  });

  it("refuses two tenants with the same id", () => {
    expect(() => allocate([tenant("a"), tenant("a")], 1, emptyAllocationState())).toThrow(/duplicate tenant id a/);
  });
});

describe("allocate: scale", () => {
  it("plans 1,000 tenants with 10,000 campaigns and a budget of 2,000", () => {
    const random = mulberry32(7);
    const tenants = Array.from({ length: 1000 }, (_, i) =>
      tenant(`tenant-${i}`, {
        weight: 1 + Math.floor(random() * 8),
        cap: random() < 0.1 ? Math.floor(random() * 20) : null,
        inFlight: Math.floor(random() * 10),
        paused: random() < 0.05,
        campaigns: Array.from({ length: 10 }, (_, j) => ({ id: `tenant-${i}-c${j}`, backlog: Math.floor(random() * 50) })),
      }),
    );
    const plan = allocate(tenants, 2000, emptyAllocationState());
    expect(plan.slots).toHaveLength(2000);
    for (const t of tenants) {
      const got = plan.perTenant[t.id] ?? 0;
      expect(got).toBeLessThanOrEqual(admissible(t));
      // The budget covers a first sweep: everyone who can take work gets a slot.
      if (admissible(t) > 0) expect(got).toBeGreaterThan(0);
    }

    const times: number[] = [];
    let state = plan.state;
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      state = allocate(tenants, 2000, state).state;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`allocate 1,000 tenants / 10,000 campaigns / budget 2,000: median ${times[25].toFixed(2)} ms, max ${times[49].toFixed(2)} ms`);
  });
});

const weightArb = fc.integer({ min: 1, max: 8 });

// Ids t0..t24 sort as t0, t1, t10, ..., so the id order the allocator sweeps differs from the input order.
const tenantsArb = fc
  .array(
    fc.record({
      weight: weightArb,
      inFlight: fc.nat(30),
      cap: fc.option(fc.nat(40), { nil: null }),
      paused: fc.boolean(),
      backlogs: fc.array(fc.nat(60), { maxLength: 6 }),
    }),
    { maxLength: 25 },
  )
  .map((rows) =>
    rows.map(({ backlogs, ...row }, i): TenantInput => ({
      id: `t${i}`,
      ...row,
      campaigns: backlogs.map((backlog, j) => ({ id: `t${i}-c${j}`, backlog })),
    })),
  );

// Whatever an old or hand-edited Redis value might hold: unknown ids, credits above the weight, NaN.
const junkStateArb: fc.Arbitrary<AllocationState> = fc.record({
  deficits: fc.dictionary(fc.constantFrom("t0", "t1", "t3", "t12", "gone"), fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double())),
  tenantCursor: fc.option(fc.constantFrom("t0", "t1", "t15", "gone", "zzz"), { nil: null }),
  campaignCursors: fc.dictionary(
    fc.constantFrom("t0", "t1", "t2", "gone"),
    fc.option(fc.constantFrom("t0-c0", "t0-c1", "t1-c2", "gone"), { nil: null }),
  ),
});

// Budgets 0..500 from a fresh state, a state reached through earlier ticks, or junk.
const scenarioArb = tenantsArb.chain((tenants) =>
  fc.record({
    tenants: fc.constant(tenants),
    budget: fc.integer({ min: 0, max: 500 }),
    state: fc.oneof(
      fc.constant(emptyAllocationState()),
      fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 8 }).map((budgets) => runTicks(() => tenants, budgets).state),
      junkStateArb,
    ),
  }),
);

function tenant(id: string, overrides: Partial<TenantInput> = {}): TenantInput {
  return { id, weight: 1, inFlight: 0, cap: null, paused: false, campaigns: [{ id: `${id}-c1`, backlog: BIG }], ...overrides };
}

/** The limits, restated independently of the allocator: what a tenant may be given this tick. */
function admissible(t: TenantInput): number {
  if (t.paused) return 0;
  const backlog = t.campaigns.reduce((sum, c) => sum + Math.max(0, c.backlog), 0);
  return t.cap === null ? backlog : Math.min(backlog, Math.max(0, t.cap - t.inFlight));
}

function runTicks(tenantsAt: (tick: number) => TenantInput[], budgets: number[]) {
  const allocations: Allocation[] = [];
  let state = emptyAllocationState();
  budgets.forEach((budget, tick) => {
    const plan = allocate(tenantsAt(tick), budget, state);
    allocations.push(plan);
    state = plan.state;
  });
  return { allocations, state };
}

function cumulative(allocations: Allocation[], key: "perTenant" | "perCampaign" = "perTenant"): Record<string, number> {
  const total: Record<string, number> = {};
  for (const plan of allocations) for (const [id, n] of Object.entries(plan[key])) total[id] = (total[id] ?? 0) + n;
  return total;
}

function countBy(ids: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of ids) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

function runsOf(ids: string[]): { id: string; length: number }[] {
  const runs: { id: string; length: number }[] = [];
  for (const id of ids) {
    const last = runs.at(-1);
    if (last?.id === id) last.length++;
    else runs.push({ id, length: 1 });
  }
  return runs;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

// Seeded, so the scale test plans the same tenants on every run.
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

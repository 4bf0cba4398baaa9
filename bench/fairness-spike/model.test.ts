import { describe, expect, it } from "vitest";
import { computeMetrics } from "./metrics";
import { SchedulerModel, DEFAULT_MODEL_CONFIG } from "./model";
import { simulate } from "./runtime-model";
import { buildWorkload, SCENARIOS, type ScenarioConfig } from "./scenarios";
import { seedrandom } from "./seedrandom";
import { QueueModel, StoreModel } from "./store-model";

const weightsOf = (config: ScenarioConfig) => Object.fromEntries(config.tenants.map((t) => [t.tenantId, t.weight ?? 1]));

describe("the spike's workloads", () => {
  it("draw the numbers of the seedrandom package", () => {
    const rng = seedrandom("hello.");
    expect(rng()).toBe(0.9282578795792454);
    expect(rng()).toBe(0.3752569768646784);
  });

  it("are the same for a seed and differ between seeds", () => {
    const a = buildWorkload(SCENARIOS.trickleStale, "seed-a");
    expect(buildWorkload(SCENARIOS.trickleStale, "seed-a")).toEqual(a);
    expect(buildWorkload(SCENARIOS.trickleStale, "seed-b")).not.toEqual(a);
    const trickle = a.tenants.find((t) => t.tenantId === "trickle-1")!;
    expect(trickle.runs[0]!.enqueueAtMs).toBe(0);
    expect(trickle.runs.at(-1)!.enqueueAtMs).toBeGreaterThan(500); // 30 arrivals at 25/s
  });
});

describe("the scheduler model", () => {
  it("is deterministic for a seed", () => {
    const workload = buildWorkload(SCENARIOS.trickleStale, "seed-c");
    const first = simulate(workload);
    expect(simulate(workload).events).toEqual(first.events);
    expect(simulate(buildWorkload(SCENARIOS.trickleStale, "seed-a")).events).not.toEqual(first.events);
  });

  it("gives two backlogged tenants of equal weight equal shares while both have work", () => {
    const config: ScenarioConfig = { envConcurrencyLimit: 4, tenants: [{ tenantId: "a", runCount: 300, holdMsMean: 30 }, { tenantId: "b", runCount: 300, holdMsMean: 30 }] };
    const sim = simulate(buildWorkload(config, "equal"));
    const metrics = computeMetrics(sim.events, weightsOf(config));
    for (const t of metrics.perTenant) expect(t.contentionShareOverWeight).toBeCloseTo(1, 1);
    const firstHundred = sim.events.slice(0, 100).filter((e) => e.tenantId === "a").length;
    expect(Math.abs(firstHundred - 50)).toBeLessThanOrEqual(2);
  });

  it("gives weights 3:1 dequeues 3:1", () => {
    const sim = simulate(buildWorkload(SCENARIOS.weighted, "seed-a"));
    const firstFour = sim.events.slice(0, 400).filter((e) => e.tenantId === "big").length;
    expect(firstFour / 400).toBeCloseTo(0.75, 1);
  });

  it("dequeues a newcomer's first job at the next free line once its wake-up tick lands", () => {
    const config: ScenarioConfig = {
      envConcurrencyLimit: 4,
      tenants: [{ tenantId: "a-big", runCount: 2000, holdMsMean: 50 }, { tenantId: "b-new", runCount: 5, startAtMs: 1000, holdMsMean: 50 }],
    };
    for (const headRound of ["wake", "every-tick"] as const) {
      const latency = 10;
      const sim = simulate(buildWorkload(config, "newcomer"), { tickLatencyMs: latency, scheduler: { headRound, targetDepth: 40 } });
      const landed = 1000 + latency;
      const next = sim.events.find((e) => e.dequeueAtMs >= landed)!;
      expect(next.tenantId, `head round ${headRound}`).toBe("b-new");
      expect(sim.events.filter((e) => e.tenantId === "a-big" && e.dequeueAtMs > 1000 && e.dequeueAtMs < next.dequeueAtMs).length).toBeLessThanOrEqual(4);
    }
  });

  it("puts a newcomer's first round at the head on its wake-up tick even when the lookahead is full", () => {
    for (const headRound of ["wake", "off"] as const) {
      const store = new StoreModel();
      const queue = new QueueModel();
      store.addTenant({ id: "busy" });
      store.addTenant({ id: "new", weight: 2 });
      store.startCampaign("c1", "busy", 0, Array.from({ length: 100 }, (_, i) => `busy-${i}`));
      const scheduler = new SchedulerModel(store, queue, { ...DEFAULT_MODEL_CONFIG, headRound, concurrency: 4, targetDepth: 8 });
      scheduler.publish(scheduler.tick(0, { wake: true }));
      expect(queue.depth()).toBe(8);
      store.startCampaign("c2", "new", 1, ["new-0", "new-1", "new-2"]);
      scheduler.publish(scheduler.tick(1, { wake: true }));
      const head = queue.jobs.slice(0, 2).map((j) => j.id);
      if (headRound === "wake") expect(head).toEqual(["new-0", "new-1"]);
      else expect(queue.jobs.some((j) => j.tenantId === "new")).toBe(false); // budget 0: it waits for a refill
    }
  });

  it("never has more of a capped tenant in flight than its cap", () => {
    const store = new StoreModel();
    const queue = new QueueModel();
    store.addTenant({ id: "capped", maxConcurrent: 3 });
    store.addTenant({ id: "free" });
    store.startCampaign("c1", "capped", 0, Array.from({ length: 20 }, (_, i) => `capped-${i}`));
    store.startCampaign("c2", "free", 0, Array.from({ length: 20 }, (_, i) => `free-${i}`));
    const scheduler = new SchedulerModel(store, queue, { ...DEFAULT_MODEL_CONFIG, concurrency: 4, targetDepth: 10 });
    for (let t = 0; t < 5; t++) {
      scheduler.publish(scheduler.tick(t));
      const inFlight = store.inFlightByTenant().get("capped")?.inFlight ?? 0;
      expect(inFlight).toBeLessThanOrEqual(3);
      // A caller finishes two calls between ticks.
      for (const job of [queue.take(), queue.take()]) {
        if (!job) continue;
        store.dial(job.id);
        store.finish(job.id);
      }
    }
  });
});

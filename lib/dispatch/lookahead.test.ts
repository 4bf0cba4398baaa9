import { describe, expect, it } from "vitest";
import { Lookahead } from "./lookahead";
import { frontThreshold, wokenFirst } from "./scheduler";

const options = { pollMs: 50, floor: 2, ceiling: 50_000, safety: 2, windowMs: 10_000 };

/** Feeds ticks every `everyMs` while the callers take `rate` jobs per second and each tick tops the queue up to `keep`. */
function run(lookahead: Lookahead, { rate, everyMs, keep, tickMs = 30, seconds = 20, from = 0, backlog = true }: { rate: number; everyMs: number; keep: number; tickMs?: number; seconds?: number; from?: number; backlog?: boolean }) {
  let depth = keep;
  for (let at = from + everyMs; at <= from + seconds * 1000; at += everyMs) {
    depth = Math.max(0, depth - (rate * everyMs) / 1000);
    const published = Math.max(0, keep - depth);
    lookahead.observe({ at, depth, published, durationMs: tickMs, backlog });
    depth += published;
  }
}

describe("lookahead sizing", () => {
  it("uses the fallback until the callers' pace has been measured", () => {
    const lookahead = new Lookahead(options);
    expect(lookahead.target(40)).toBe(40);
    lookahead.observe({ at: 0, depth: 0, published: 40, durationMs: 20, backlog: true });
    expect(lookahead.target(40)).toBe(40);
  });

  it("keeps long calls' queue a couple of jobs deep: 20 lines of 20 s calls take one job a second", () => {
    const lookahead = new Lookahead(options);
    run(lookahead, { rate: 1, everyMs: 1000, keep: 40 });
    expect(lookahead.rate()).toBeCloseTo(1, 1);
    // 2 × safety × 1/s × (50 ms poll + 30 ms tick) rounds up to 1: the floor holds.
    expect(lookahead.target(40)).toBe(2);
  });

  it("covers a refill at a high dispatch rate: half the target lasts longer than poll + tick", () => {
    const lookahead = new Lookahead(options);
    run(lookahead, { rate: 2000, everyMs: 150, keep: 4000, tickMs: 100 });
    const target = lookahead.target(200);
    // The half left when a refill is asked for must outlast the refill's latency (150 ms here).
    expect(target / 2 / 2000).toBeGreaterThan(0.15);
    expect(target).toBeLessThan(4000);
  });

  it("grows when the callers find the queue empty while work waits, and shrinks back when they no longer do", () => {
    const lookahead = new Lookahead(options);
    run(lookahead, { rate: 1000, everyMs: 100, keep: 50, seconds: 5 });
    const starved = lookahead.target(10);
    const fresh = new Lookahead(options);
    run(fresh, { rate: 1000, everyMs: 100, keep: 5000, seconds: 5 });
    expect(starved).toBeGreaterThan(fresh.target(10));
    run(lookahead, { rate: 1000, everyMs: 100, keep: 5000, seconds: 30, from: 5000 });
    expect(lookahead.target(10)).toBeLessThanOrEqual(Math.ceil(fresh.target(10) * 1.2));
  });

  it("does not grow when the queue runs empty only because every line is busy on long calls", () => {
    const lookahead = new Lookahead(options);
    // 20 lines of 20 s calls: a job a second, each taken at once by the line that freed; all lines stay busy.
    for (let at = 1000; at <= 60_000; at += 1000) lookahead.observe({ at, depth: 0, published: 1, active: 20, lines: 20, durationMs: 20, backlog: true });
    expect(lookahead.target(40)).toBe(2);
    // The same empty queue with idle lines is starvation: the target grows.
    const starved = new Lookahead(options);
    for (let at = 1000; at <= 10_000; at += 1000) starved.observe({ at, depth: 0, published: 1, active: 12, lines: 20, durationMs: 20, backlog: true });
    expect(starved.target(40)).toBeGreaterThan(2);
  });

  it("keeps the pace it measured through an idle spell instead of decaying to nothing", () => {
    const lookahead = new Lookahead(options);
    run(lookahead, { rate: 1000, everyMs: 100, keep: 2000, seconds: 5 });
    const busy = lookahead.target(10);
    for (let at = 6000; at < 60_000; at += 1000) lookahead.observe({ at, depth: 0, published: 0, durationMs: 5, backlog: false });
    expect(lookahead.target(10)).toBeGreaterThanOrEqual(Math.floor(busy * 0.5));
  });

  it("never leaves its floor and ceiling", () => {
    const lookahead = new Lookahead({ ...options, ceiling: 300 });
    run(lookahead, { rate: 50_000, everyMs: 100, keep: 300, seconds: 3 });
    expect(lookahead.target(10)).toBe(300);
    const idle = new Lookahead(options);
    run(idle, { rate: 0.01, everyMs: 1000, keep: 1 });
    expect(idle.target(10)).toBe(2);
  });
});

describe("how much of others' work a tenant with nothing queued may wait behind", () => {
  it("is what the callers take in half a second: one job at 20 s calls on 20 lines, thousands at 20 ms calls on 100", () => {
    const slow = new Lookahead(options);
    run(slow, { rate: 1, everyMs: 1000, keep: 40 });
    expect(frontThreshold(slow, 20)).toBe(1);

    const fast = new Lookahead(options);
    run(fast, { rate: 5000, everyMs: 100, keep: 4000 });
    expect(frontThreshold(fast, 100)).toBeGreaterThanOrEqual(2000);
  });

  it("is the lines until the pace has been measured", () => {
    expect(frontThreshold(new Lookahead(options), 20)).toBe(20);
  });
});

describe("the head round on a wake-up", () => {
  it("puts the tenants the wake-up named first and keeps everyone's order otherwise", () => {
    const jobs = [{ tenantId: "b1", n: 1 }, { tenantId: "b2", n: 2 }, { tenantId: "b5", n: 3 }, { tenantId: "b1", n: 4 }];
    expect(wokenFirst(jobs, new Set(["b5"])).map((j) => j.n)).toEqual([3, 1, 2, 4]);
    expect(wokenFirst(jobs, new Set()).map((j) => j.n)).toEqual([1, 2, 3, 4]);
    expect(wokenFirst(jobs, undefined)).toBe(jobs);
  });
});

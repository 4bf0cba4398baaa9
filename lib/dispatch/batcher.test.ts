import { describe, expect, it } from "vitest";
import { Batcher } from "./batcher";

describe("Batcher", () => {
  it("groups concurrent requests into few runs and answers each caller with its own result", async () => {
    const runs: number[][] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      runs.push(items);
      return items.map((i) => i * 2);
    }, { maxSize: 10, maxWaitMs: 5 });
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => batcher.add(i)));
    expect(results).toEqual(Array.from({ length: 25 }, (_, i) => i * 2));
    expect(runs.length).toBeLessThanOrEqual(4);
    expect(runs.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it("rejects every member of a failed batch", async () => {
    const batcher = new Batcher<number, number>(async () => {
      throw new Error("db down");
    }, { maxSize: 5, maxWaitMs: 1 });
    const settled = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
  });
});

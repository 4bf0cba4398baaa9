import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bestJain, jainIndex, weightedJain } from "./fairness";

const amounts = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 50 });

describe("jainIndex", () => {
  it("is 1 when everyone got the same and 1/n when one got everything", () => {
    expect(jainIndex([7, 7, 7, 7])).toBe(1);
    expect(jainIndex([0, 0, 9, 0])).toBeCloseTo(0.25, 12);
    expect(jainIndex([1, 2, 3])).toBeCloseTo(36 / 42, 12);
  });

  it("treats nobody getting anything as fair", () => {
    expect(jainIndex([])).toBe(1);
    expect(jainIndex([0, 0, 0])).toBe(1);
  });

  it("refuses negative and non-finite values", () => {
    expect(() => jainIndex([1, -1])).toThrow(RangeError);
    expect(() => jainIndex([1, Number.NaN])).toThrow(RangeError);
    expect(() => jainIndex([1, Infinity])).toThrow(RangeError);
  });

  it("lies between 1/n and 1, whatever the values", () => {
    fc.assert(
      fc.property(amounts, (values) => {
        const j = jainIndex(values);
        expect(j).toBeGreaterThanOrEqual(1 / values.length - 1e-12);
        expect(j).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("does not depend on the unit or the order", () => {
    fc.assert(
      fc.property(amounts, fc.integer({ min: 1, max: 1000 }), (values, k) => {
        const j = jainIndex(values);
        expect(jainIndex(values.map((v) => v * k))).toBeCloseTo(j, 9);
        expect(jainIndex([...values].reverse())).toBeCloseTo(j, 9);
      }),
    );
  });
});

describe("weightedJain", () => {
  it("is 1 when shares follow the weights exactly", () => {
    expect(weightedJain([10, 20, 80], [1, 2, 8])).toBe(1);
  });

  it("sees an equal split among unequal weights as unfair", () => {
    expect(weightedJain([10, 10], [1, 3])).toBeCloseTo(jainIndex([10, 10 / 3]), 12);
    expect(weightedJain([10, 10], [1, 3])).toBeLessThan(0.9);
  });

  it("refuses mismatched lengths and non-positive weights", () => {
    expect(() => weightedJain([1, 2], [1])).toThrow(RangeError);
    expect(() => weightedJain([1, 2], [1, 0])).toThrow(RangeError);
  });

  it("equals jainIndex when every weight is 1", () => {
    fc.assert(
      fc.property(amounts, (values) => {
        expect(weightedJain(values, values.map(() => 1))).toBe(jainIndex(values));
      }),
    );
  });
});

describe("bestJain", () => {
  it("is what whole dials allow: 1 when they divide evenly, below 1 when some tenants must get one more", () => {
    expect(bestJain(4000, 1000)).toBe(1);
    expect(bestJain(3645, 1000)).toBeCloseTo(0.983, 3);
    expect(bestJain(3, 2)).toBeCloseTo(jainIndex([1, 2]), 12);
    // Many dials per tenant: the granularity hardly matters.
    expect(bestJain(100_500, 1000)).toBeGreaterThan(0.9999);
  });
});

import { describe, expect, it } from "vitest";
import { phoneFor } from "./fixtures/generate";
import { PhoneSet } from "./phone-set";

describe("PhoneSet", () => {
  it("tells new numbers from ones already seen", () => {
    const set = new PhoneSet();
    expect(set.add("+12125550100")).toBe(true);
    expect(set.add("+442079460958")).toBe(true);
    expect(set.add("+12125550100")).toBe(false);
    expect(set.add("+12125550101")).toBe(true);
    expect(set.size).toBe(3);
  });

  it("keeps 15-digit numbers apart (the longest E.164 allows)", () => {
    const set = new PhoneSet();
    expect(set.add("+999999999999999")).toBe(true);
    expect(set.add("+999999999999998")).toBe(true);
    expect(set.add("+999999999999999")).toBe(false);
  });

  it("agrees with a Set through many growths", { timeout: 30_000 }, () => {
    const set = new PhoneSet();
    const reference = new Set<string>();
    let disagreements = 0;
    for (let i = 0; i < 300_000; i++) {
      const phone = phoneFor(i % 200_000, 0);
      if (set.add(phone) === reference.has(phone)) disagreements++;
      reference.add(phone);
    }
    expect(disagreements).toBe(0);
    expect(set.size).toBe(200_000);
  });

  it("refuses what is not E.164", () => {
    expect(() => new PhoneSet().add("+1234567890123456789")).toThrow();
  });
});

import { describe, expect, it } from "vitest";
import { FREQUENCY_CAP_HOLD, frequencyCapWords, HOLD_REASONS, holdKind, NO_HELD_LEADS } from "./holds";

describe("holdKind", () => {
  it("tells the 24-hour cap, the 30-day cap and a number another campaign is calling apart, as the caller words them", () => {
    expect(holdKind(`${FREQUENCY_CAP_HOLD} the most calls to this number in 24 hours`)).toBe("cap24h");
    expect(holdKind(`${FREQUENCY_CAP_HOLD} the most calls to this number in 30 days`)).toBe("cap30d");
    expect(holdKind("another of your campaigns is calling this number")).toBe("numberInUse");
  });

  it("reads back every reason the caller writes as its own kind", () => {
    for (const [kind, reason] of Object.entries(HOLD_REASONS)) expect(holdKind(reason)).toBe(kind);
  });
});

describe("frequencyCapWords", () => {
  it("names only the caps that hold leads, with the tenant's limits", () => {
    const caps = { per24h: 3, per30d: 4 };
    expect(frequencyCapWords({ ...NO_HELD_LEADS, cap24h: 2, caps })).toBe("3 calls per 24 h");
    expect(frequencyCapWords({ ...NO_HELD_LEADS, cap30d: 2, caps })).toBe("4 calls per 30 days");
    expect(frequencyCapWords({ ...NO_HELD_LEADS, cap24h: 1, cap30d: 1, caps })).toBe("3 calls per 24 h and 4 per 30 days");
    // A cap turned off while its leads were still held (they are released at once, but a snapshot may see them).
    expect(frequencyCapWords({ ...NO_HELD_LEADS, cap24h: 1 })).toBe("the most calls per 24 h");
  });
});

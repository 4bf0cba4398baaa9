import { describe, expect, it } from "vitest";
import { SIM_PRESETS, SimulatedProvider, sampleCall, sampleProviderError, type SimOptions, type SimOutcome } from "./simulated";

const N = 10_000;
const ids = Array.from({ length: N }, (_, i) => `attempt-${i}`);

describe("sampleCall", () => {
  it("gives the same call for the same seed and attempt, whatever the order of dialing", () => {
    const forward = ids.slice(0, 500).map((id) => sampleCall(SIM_PRESETS.human, id));
    const backward = ids.slice(0, 500).reverse().map((id) => sampleCall(SIM_PRESETS.human, id)).reverse();
    expect(backward).toEqual(forward);
  });

  it("gives a different run for a different seed", () => {
    const other = { ...SIM_PRESETS.human, seed: 7 };
    const differing = ids.slice(0, 500).filter((id) => sampleCall(other, id).outcome !== sampleCall(SIM_PRESETS.human, id).outcome);
    expect(differing.length).toBeGreaterThan(100);
  });

  it("produces each outcome at its configured rate over 10,000 attempts", () => {
    const rates: Record<SimOutcome, number> = { COMPLETED: 0.4, VOICEMAIL: 0.2, NO_ANSWER: 0.25, BUSY: 0.1, FAILED: 0.05 };
    const counts = countOutcomes({ ...SIM_PRESETS.fast, outcomeRates: rates });
    for (const [outcome, rate] of Object.entries(rates)) {
      // Four standard deviations of a binomial share: a correct sampler fails this about once in 15,000 runs.
      const tolerance = 4 * Math.sqrt((rate * (1 - rate)) / N);
      expect(Math.abs(counts[outcome as SimOutcome] / N - rate), outcome).toBeLessThan(tolerance);
    }
  });

  it("never produces an outcome whose rate is 0", () => {
    const counts = countOutcomes({ ...SIM_PRESETS.fast, outcomeRates: { COMPLETED: 0, VOICEMAIL: 0, NO_ANSWER: 0, BUSY: 1, FAILED: 0 } });
    expect(counts.BUSY).toBe(N);
  });

  it("keeps fast-preset calls around 20 ms", () => {
    const calls = ids.map((id) => sampleCall(SIM_PRESETS.fast, id));
    expect(Math.max(...calls.map((c) => c.ringMs + c.talkMs))).toBeLessThanOrEqual(30);
    const answered = calls.filter((c) => c.outcome === "COMPLETED").map((c) => c.ringMs + c.talkMs);
    expect(median(answered)).toBeGreaterThan(12);
    expect(median(answered)).toBeLessThan(25);
  });

  it("rings 2–8 s and talks 5–40 s in the human preset, with a log-normal talk time around its median", () => {
    const calls = ids.map((id) => sampleCall(SIM_PRESETS.human, id));
    const completed = calls.filter((c) => c.outcome === "COMPLETED");
    for (const c of completed) {
      expect(c.ringMs).toBeGreaterThanOrEqual(2_000);
      expect(c.ringMs).toBeLessThanOrEqual(8_000);
      expect(c.talkMs).toBeGreaterThanOrEqual(5_000);
      expect(c.talkMs).toBeLessThanOrEqual(40_000);
    }
    const talk = completed.map((c) => c.talkMs);
    expect(median(talk) / SIM_PRESETS.human.talkMs.median).toBeCloseTo(1, 1);
    // Right-skewed like real talk times: the mean sits above the median.
    expect(talk.reduce((a, b) => a + b, 0) / talk.length).toBeGreaterThan(median(talk));
  });

  it("lets unanswered calls ring until the no-answer timeout and connects nobody", () => {
    const noAnswer = ids.map((id) => sampleCall(SIM_PRESETS.human, id)).filter((c) => c.outcome === "NO_ANSWER");
    expect(noAnswer.length).toBeGreaterThan(0);
    expect(noAnswer.every((c) => c.ringMs === SIM_PRESETS.human.ringMs.max && c.talkMs === 0)).toBe(true);
  });
});

describe("sampleProviderError", () => {
  const flaky: SimOptions = { ...SIM_PRESETS.fast, providerErrorRates: { rateLimited: 0.1, server: 0.2 } };

  it("refuses dials at the configured rates", () => {
    const refusals = ids.map((id) => sampleProviderError(flaky, id, 1));
    const share = (kind: string) => refusals.filter((r) => r === kind).length / N;
    expect(share("rate-limited")).toBeCloseTo(0.1, 1);
    expect(share("server")).toBeCloseTo(0.2, 1);
  });

  it("draws again on every try, so a refused attempt eventually gets through", () => {
    const refusedFirst = ids.filter((id) => sampleProviderError(flaky, id, 1) !== null);
    const refusedAgain = refusedFirst.filter((id) => sampleProviderError(flaky, id, 2) !== null);
    expect(refusedAgain.length / refusedFirst.length).toBeCloseTo(0.3, 1);
    const laterTries = Array.from({ length: 20 }, (_, i) => i + 2);
    expect(refusedFirst.every((id) => laterTries.some((t) => sampleProviderError(flaky, id, t) === null))).toBe(true);
  });

  it("never refuses with the default rates", () => {
    expect(ids.some((id) => sampleProviderError(SIM_PRESETS.human, id, 1) !== null)).toBe(false);
  });
});

describe("SimulatedProvider options", () => {
  it("rejects outcome rates that do not sum to 1", () => {
    const bad = { ...SIM_PRESETS.fast, outcomeRates: { ...SIM_PRESETS.fast.outcomeRates, COMPLETED: 0.9 } };
    expect(() => new SimulatedProvider(null as never, "unused", bad)).toThrow(/outcomeRates/);
  });
});

function countOutcomes(options: SimOptions) {
  const counts: Record<SimOutcome, number> = { COMPLETED: 0, VOICEMAIL: 0, NO_ANSWER: 0, BUSY: 0, FAILED: 0 };
  for (const id of ids) counts[sampleCall(options, id).outcome] += 1;
  return counts;
}

function median(xs: number[]) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

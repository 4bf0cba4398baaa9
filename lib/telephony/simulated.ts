// The default provider: a fake phone network realistic enough to demo and benchmark dispatch (a product
// feature, not a test double). Every draw for a call comes from hash(seed, attemptId), so a run is reproducible
// whatever order the calls are dialed in and whichever process dials them. The call log lives in Redis so that
// dialing is idempotent across processes and tests can prove that no attempt was dialed twice.
import { setTimeout as sleep } from "node:timers/promises";
import type { CallOutcome } from "@prisma/client";
import type { Redis } from "ioredis";
import { dataNodes } from "../redis";
import { ProviderError, type DialRequest, type DialResult, type LookupQuery, type LookupResult, type TelephonyProvider } from "./provider";

export type SimOutcome = Exclude<CallOutcome, "PROVIDER_ERROR">;

export interface SimOptions {
  seed: number;
  /** Uniform time until answer, busy or failure signal; NO_ANSWER rings until `max` (the no-answer timeout). */
  ringMs: { min: number; max: number };
  /** Talk time of a call a person answered: log-normal around the median, clamped to [min, max]. */
  talkMs: { median: number; sigma: number; min: number; max: number };
  /** Uniform length of the message left after an answering machine picks up. */
  voicemailMs: { min: number; max: number };
  /** Share of each outcome; must sum to 1. */
  outcomeRates: Record<SimOutcome, number>;
  /** Share of dial requests the provider refuses before placing anything, drawn again on every try. */
  providerErrorRates: { rateLimited: number; server: number };
  /** Retry-After sent with a rate-limit refusal. */
  retryAfterMs: number;
  /** Share of calls a person answered in which they ask not to be called again (the agent reports an opt-out). */
  optOutRate?: number;
}

// A fixed order, not the rates object's key order, decides which outcome a draw maps to.
const OUTCOME_ORDER: readonly SimOutcome[] = ["COMPLETED", "VOICEMAIL", "NO_ANSWER", "BUSY", "FAILED"];
const OUTCOME_RATES: Record<SimOutcome, number> = { COMPLETED: 0.55, VOICEMAIL: 0.15, NO_ANSWER: 0.18, BUSY: 0.08, FAILED: 0.04 };

export const SIM_PRESETS = {
  /** Seconds-long calls so a demo's progress is watchable. */
  human: {
    seed: 42,
    ringMs: { min: 2_000, max: 8_000 },
    talkMs: { median: 15_000, sigma: 0.6, min: 5_000, max: 40_000 },
    voicemailMs: { min: 4_000, max: 12_000 },
    outcomeRates: OUTCOME_RATES,
    providerErrorRates: { rateLimited: 0, server: 0 },
    retryAfterMs: 1_000,
  },
  /** ≈1 s calls: a browser test can watch a campaign move without waiting minutes. */
  brisk: {
    seed: 42,
    ringMs: { min: 200, max: 600 },
    talkMs: { median: 500, sigma: 0.4, min: 200, max: 1_000 },
    voicemailMs: { min: 200, max: 500 },
    outcomeRates: OUTCOME_RATES,
    providerErrorRates: { rateLimited: 0, server: 0 },
    retryAfterMs: 200,
  },
  /** ≈20 ms calls for tests and benchmarks. */
  fast: {
    seed: 42,
    ringMs: { min: 5, max: 10 },
    talkMs: { median: 10, sigma: 0.3, min: 5, max: 20 },
    voicemailMs: { min: 5, max: 10 },
    outcomeRates: OUTCOME_RATES,
    providerErrorRates: { rateLimited: 0, server: 0 },
    retryAfterMs: 20,
  },
} satisfies Record<string, SimOptions>;

export interface SimCall {
  outcome: SimOutcome;
  /** From dialing to answer, or to the busy / failure signal, or to the no-answer timeout. */
  ringMs: number;
  /** Connected time after an answer (person or machine); 0 when nobody answered. */
  talkMs: number;
  /** The person asked not to be called again. */
  optOut?: boolean;
}

export interface SimCallLogEntry {
  attemptId: string;
  tenantId: string;
  campaignId: string;
  to: string;
  /** placeCall tries that reached the network, refused ones included. */
  tries: number;
  /** Calls actually placed; anything above 1 is a double dial. */
  dials: number;
  dialedAt: Date | null;
  /** Null while the call is still ringing or talking. */
  result: DialResult | null;
}

// Long enough to outlive any crash recovery (RECONCILE_AFTER_MS is minutes), short enough that a long
// benchmark does not fill Redis with old calls.
const CALL_LOG_TTL_MS = 24 * 60 * 60 * 1000;

export class SimulatedProvider implements TelephonyProvider {
  readonly name = "simulated";

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly options: SimOptions = SIM_PRESETS.human,
  ) {
    assertValidOptions(options);
  }

  async placeCall(req: DialRequest): Promise<DialResult> {
    const key = this.callKey(req.attemptId);
    const [claimedAt, result] = await this.redis.hmget(key, "claimedAt", "result");
    if (result) return decodeResult(result);
    // Dialed before (another process, or this one before a crash): the fake network's call runs on its own
    // clock from the original dial, so follow it instead of dialing again.
    if (claimedAt) return this.follow(req.attemptId, Number(claimedAt));

    const tries = await execNumber(
      this.redis.multi().hincrby(key, "tries", 1).hset(key, { tenantId: req.tenantId, campaignId: req.campaignId, to: req.to }).pexpire(key, CALL_LOG_TTL_MS),
    );
    const refusal = sampleProviderError(this.options, req.attemptId, tries);
    if (refusal === "rate-limited") throw new ProviderError("rate-limited", "simulated 429 Too Many Requests", { retryAfterMs: this.options.retryAfterMs });
    if (refusal === "server") throw new ProviderError("server", "simulated 503 Service Unavailable");

    const dialedAt = Date.now();
    // The claim: of two processes racing on one attempt, exactly one dials.
    if (!(await this.redis.hsetnx(key, "claimedAt", dialedAt))) return this.follow(req.attemptId, Number(await this.redis.hget(key, "claimedAt")));
    // Counted apart from the claim so that the log would show a double dial if the claim ever failed to prevent one.
    await this.redis.hincrby(key, "dials", 1);
    return this.follow(req.attemptId, dialedAt);
  }

  /** The simulated network keeps its call log in Redis: no entry is a positive "never placed". */
  async lookup({ attemptId }: LookupQuery): Promise<LookupResult> {
    const [claimedAt, result] = await this.redis.hmget(this.callKey(attemptId), "claimedAt", "result");
    if (result) return decodeResult(result);
    if (!claimedAt) return { kind: "not-found" };
    const finished = finishedResult(attemptId, sampleCall(this.options, attemptId), new Date(Number(claimedAt)));
    return finished.endedAt.getTime() <= Date.now() ? finished : { kind: "pending", providerCallId: finished.providerCallId, dialedAt: finished.dialedAt };
  }

  async dialCount(attemptId: string): Promise<number> {
    return Number((await this.redis.hget(this.callKey(attemptId), "dials")) ?? 0);
  }

  /** Every attempt this log knows about. Scans the prefix: meant for tests and small runs, not the hot path. */
  async callLog(): Promise<SimCallLogEntry[]> {
    const pattern = `${escapeGlob(this.keyPrefix)}:call:*`;
    const entries: SimCallLogEntry[] = [];
    // On a cluster the log is on one master (one hash tag), but which one is the cluster's business: scan them all.
    for (const node of dataNodes(this.redis)) for await (const keys of node.scanStream({ match: pattern, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length === 0) continue;
      const pipeline = this.redis.pipeline();
      for (const key of keys) pipeline.hgetall(key);
      const rows = (await pipeline.exec()) ?? [];
      rows.forEach(([err, row], i) => {
        if (err) throw err;
        const h = row as Record<string, string>;
        if (!h.tries && !h.claimedAt) return; // expired between SCAN and HGETALL
        entries.push({
          attemptId: keys[i].slice(`${this.keyPrefix}:call:`.length),
          tenantId: h.tenantId ?? "",
          campaignId: h.campaignId ?? "",
          to: h.to ?? "",
          tries: Number(h.tries ?? 0),
          dials: Number(h.dials ?? 0),
          dialedAt: h.claimedAt ? new Date(Number(h.claimedAt)) : null,
          result: h.result ? decodeResult(h.result) : null,
        });
      });
    }
    return entries;
  }

  private async follow(attemptId: string, dialedAtMs: number): Promise<DialResult> {
    const result = finishedResult(attemptId, sampleCall(this.options, attemptId), new Date(dialedAtMs));
    await sleep(Math.max(0, result.endedAt.getTime() - Date.now()));
    const key = this.callKey(attemptId);
    // First writer wins, so every follower returns the same recorded result.
    const replies = await this.redis.multi().hsetnx(key, "result", JSON.stringify(result)).hget(key, "result").exec();
    const stored = replies?.[1]?.[1];
    return typeof stored === "string" ? decodeResult(stored) : result;
  }

  private callKey(attemptId: string) {
    return `${this.keyPrefix}:call:${attemptId}`;
  }
}

/** The fake network's behaviour for one attempt: a pure function of (seed, attemptId). */
export function sampleCall(options: SimOptions, attemptId: string): SimCall {
  const rand = mulberry32(hashString(`${options.seed}:${attemptId}`));
  // Always the same number of draws in the same order, so changing one rate does not reshuffle the others.
  const [uOutcome, uRing, uTalk1, uTalk2, uVoicemail] = [rand(), rand(), rand(), rand(), rand()];
  const outcome = pickOutcome(options.outcomeRates, uOutcome);
  const ring = lerp(options.ringMs.min, options.ringMs.max, uRing);
  switch (outcome) {
    case "COMPLETED": {
      const { median, sigma, min, max } = options.talkMs;
      const talk = median * Math.exp(sigma * standardNormal(uTalk1, uTalk2));
      // Its own stream, so an opt-out rate leaves every other draw of the attempt as it was.
      const optOut = (options.optOutRate ?? 0) > 0 && mulberry32(hashString(`${options.seed}:${attemptId}:opt-out`))() < options.optOutRate!;
      return { outcome, ringMs: ring, talkMs: clamp(talk, min, max), ...(optOut ? { optOut } : {}) };
    }
    case "VOICEMAIL":
      return { outcome, ringMs: ring, talkMs: lerp(options.voicemailMs.min, options.voicemailMs.max, uVoicemail) };
    case "NO_ANSWER":
      return { outcome, ringMs: options.ringMs.max, talkMs: 0 };
    case "BUSY":
    case "FAILED":
      // The network answers with a busy tone or an error well before a person would pick up.
      return { outcome, ringMs: ring / 4, talkMs: 0 };
  }
}

/** Whether the provider refuses try number `tryNumber` of an attempt; drawn per try so a retry can succeed. */
export function sampleProviderError(options: SimOptions, attemptId: string, tryNumber: number): "rate-limited" | "server" | null {
  const u = mulberry32(hashString(`${options.seed}:${attemptId}:try:${tryNumber}`))();
  const { rateLimited, server } = options.providerErrorRates;
  if (u < rateLimited) return "rate-limited";
  if (u < rateLimited + server) return "server";
  return null;
}

function finishedResult(attemptId: string, call: SimCall, dialedAt: Date): Extract<DialResult, { kind: "finished" }> {
  const answered = call.outcome === "COMPLETED" || call.outcome === "VOICEMAIL";
  const answeredAt = answered ? new Date(dialedAt.getTime() + Math.round(call.ringMs)) : null;
  return {
    kind: "finished",
    providerCallId: `sim-${attemptId}`,
    outcome: call.outcome,
    dialedAt,
    answeredAt,
    endedAt: new Date(dialedAt.getTime() + Math.round(call.ringMs + call.talkMs)),
    durationSec: answered ? Math.round(call.talkMs) / 1000 : 0,
    ...(call.optOut ? { optOut: true } : {}),
  };
}

function assertValidOptions(o: SimOptions) {
  const rates = Object.values(o.outcomeRates);
  const problems = [
    rates.some((r) => r < 0) || Math.abs(rates.reduce((a, b) => a + b, 0) - 1) > 1e-9 ? "outcomeRates must be non-negative and sum to 1" : null,
    o.providerErrorRates.rateLimited < 0 || o.providerErrorRates.server < 0 || o.providerErrorRates.rateLimited + o.providerErrorRates.server > 1
      ? "providerErrorRates must be non-negative and sum to at most 1"
      : null,
    o.ringMs.min < 0 || o.ringMs.min > o.ringMs.max ? "ringMs needs 0 <= min <= max" : null,
    o.talkMs.min < 0 || o.talkMs.min > o.talkMs.max || o.talkMs.median <= 0 || o.talkMs.sigma < 0 ? "talkMs needs 0 <= min <= max, median > 0, sigma >= 0" : null,
    o.voicemailMs.min < 0 || o.voicemailMs.min > o.voicemailMs.max ? "voicemailMs needs 0 <= min <= max" : null,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`Invalid simulated telephony options: ${problems.join("; ")}`);
}

function pickOutcome(rates: Record<SimOutcome, number>, u: number): SimOutcome {
  let acc = 0;
  for (const outcome of OUTCOME_ORDER) {
    acc += rates[outcome];
    if (u < acc) return outcome;
  }
  return OUTCOME_ORDER.findLast((outcome) => rates[outcome] > 0)!; // u landed in the rounding gap just below 1
}

/** Box–Muller; 1 - u keeps the logarithm away from 0 since mulberry32 yields [0, 1). */
function standardNormal(u1: number, u2: number) {
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * 32-bit FNV-1a followed by the murmur3 finalizer: FNV alone maps nearby strings ("a-1", "a-2") to nearby
 * values, which would correlate the first draws of consecutive attempts.
 */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32 (Tommy Ettinger): a tiny 32-bit-state generator, plenty for simulation, not for secrets. */
function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lerp(min: number, max: number, u: number) {
  return min + (max - min) * u;
}

function clamp(x: number, min: number, max: number) {
  return Math.min(max, Math.max(min, x));
}

function decodeResult(json: string): DialResult {
  const r = JSON.parse(json);
  if (r.kind === "pending") return { ...r, dialedAt: new Date(r.dialedAt) };
  return { ...r, dialedAt: new Date(r.dialedAt), answeredAt: r.answeredAt ? new Date(r.answeredAt) : null, endedAt: new Date(r.endedAt) };
}

async function execNumber(multi: ReturnType<Redis["multi"]>): Promise<number> {
  const replies = await multi.exec();
  const [err, value] = replies?.[0] ?? [new Error("Redis transaction aborted"), null];
  if (err) throw err;
  return Number(value);
}

function escapeGlob(s: string) {
  return s.replace(/[*?[\]\\]/g, "\\$&");
}

// Outcomes that arrive after the call (Twilio's status callback) are recorded with the same retry policy
// and the same statement as outcomes the caller saw itself. Callbacks come late, twice and out of order:
// only a final status ends an attempt, an older sequence number never overwrites a newer one, and a final
// status may replace an outcome fairdial only assumed. The attempt's times are the provider's.
import { env } from "../env";
import { log } from "../log";
import { pgPool } from "../pg";
import { redis } from "../redis";
import { mapTwilioStatus } from "../telephony/twilio";
import { EngineMetrics } from "./metrics";
import { finishWithOutcome } from "./outcomes";
import { attemptContext, DispatchStore } from "./store";

export interface TwilioStatus {
  attemptId: string;
  callSid: string | null;
  callStatus: string;
  answeredBy: string | null;
  durationSec: number | null;
  /** Twilio's own time of the event (the `Timestamp` field); null when absent. */
  timestamp: Date | null;
  /** Twilio's `SequenceNumber`: the order of this call's callbacks. */
  sequence: number | null;
}

export type StatusVerdict = "recorded" | "replaced-assumed" | "in-progress" | "unknown-attempt" | "already-final" | "possible-double-dial";

/** Returns what was done, for the response log; unknown attempts are ignored (Twilio retries otherwise). */
export async function recordTwilioStatus(status: TwilioStatus): Promise<StatusVerdict> {
  const ctx = await attemptContext(pgPool(), status.attemptId);
  if (!ctx) return "unknown-attempt";
  if (status.callSid && ctx.providerCallId && status.callSid !== ctx.providerCallId) {
    // One attempt, two calls: something dialed twice. Nothing is overwritten; a person may have been rung twice.
    log.error({ attemptId: status.attemptId, recordedCallSid: ctx.providerCallId, callSid: status.callSid, callStatus: status.callStatus }, "possible double dial: a status callback for a call that is not this attempt's");
    await metrics().recordEvent("possible_double_dial").catch(() => undefined);
    return "possible-double-dial";
  }
  if (ctx.outcome && !ctx.outcomeAssumed) return "already-final";
  const store = new DispatchStore(pgPool());
  const outcome = mapTwilioStatus(status.callStatus, status.answeredBy);
  if (!outcome) {
    await store.recordProgress({ attemptId: status.attemptId, providerCallId: status.callSid, providerStatus: status.callStatus, sequence: status.sequence, answeredAt: status.callStatus === "in-progress" ? status.timestamp : null });
    return "in-progress";
  }
  const endedAt = status.timestamp ?? new Date();
  const answered = outcome === "COMPLETED" || outcome === "VOICEMAIL";
  const answeredAt = answered && status.durationSec !== null ? new Date(endedAt.getTime() - status.durationSec * 1000) : null;
  await store.recordProgress({ attemptId: status.attemptId, providerCallId: status.callSid, providerStatus: status.callStatus, sequence: status.sequence, answeredAt: null });
  await store.finishAttempts([
    { ...finishWithOutcome(ctx, outcome, { answeredAt, endedAt, durationSec: status.durationSec, providerCallId: status.callSid }), replaceAssumed: ctx.outcomeAssumed },
  ]);
  if (ctx.outcomeAssumed) {
    log.warn({ attemptId: status.attemptId, outcome }, "the provider reported the real outcome of a call fairdial had assumed failed");
    await metrics().recordEvent("assumed_outcome_replaced").catch(() => undefined);
    return "replaced-assumed";
  }
  return "recorded";
}

/** The lead's name and variables, for the TwiML a call plays. */
export async function attemptScript(attemptId: string) {
  const ctx = await attemptContext(pgPool(), attemptId);
  return ctx ? { name: ctx.name, variables: ctx.variables ?? {} } : null;
}

function metrics() {
  return new EngineMetrics(redis(), env().QUEUE_PREFIX);
}

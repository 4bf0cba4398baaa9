// Outcomes that arrive after the call (Twilio's status callback) are recorded with the same retry policy
// and the same statement as outcomes the caller saw itself.
import { pgPool } from "../pg";
import { mapTwilioStatus } from "../telephony/twilio";
import { finishWithOutcome } from "./outcomes";
import { attemptContext, DispatchStore } from "./store";

export interface TwilioStatus {
  attemptId: string;
  callSid: string | null;
  callStatus: string;
  answeredBy: string | null;
  durationSec: number | null;
}

/** Returns what was done, for the response log; unknown attempts are ignored (Twilio retries otherwise). */
export async function recordTwilioStatus(status: TwilioStatus): Promise<"recorded" | "in-progress" | "unknown-attempt" | "already-final"> {
  const ctx = await attemptContext(pgPool(), status.attemptId);
  if (!ctx) return "unknown-attempt";
  if (ctx.outcome) return "already-final";
  const outcome = mapTwilioStatus(status.callStatus, status.answeredBy);
  const store = new DispatchStore(pgPool());
  if (status.callSid) await store.setProviderCallId(status.attemptId, status.callSid);
  if (!outcome) return "in-progress";
  const endedAt = new Date();
  const answeredAt = status.durationSec && status.durationSec > 0 ? new Date(endedAt.getTime() - status.durationSec * 1000) : null;
  await store.finishAttempts([finishWithOutcome(ctx, outcome, { answeredAt, endedAt, durationSec: status.durationSec, providerCallId: status.callSid })]);
  return "recorded";
}

/** The lead's name and variables, for the TwiML a call plays. */
export async function attemptScript(attemptId: string) {
  const ctx = await attemptContext(pgPool(), attemptId);
  return ctx ? { name: ctx.name, variables: ctx.variables ?? {} } : null;
}

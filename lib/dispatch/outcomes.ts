import type { CallOutcome } from "@prisma/client";
import type { DialResult } from "../telephony/provider";
import { leadAfterOutcome } from "./retry-policy";
import type { AttemptFinish } from "./store";

export interface AttemptContext {
  attemptId: string;
  tenantId: string;
  leadId: string;
  attemptNumber: number;
  maxAttempts: number;
  retryDelaySec: number;
  retryOutcomes: CallOutcome[];
}

/** What to write for a finished call: the attempt's outcome and where the lead goes next. */
export function finishFromResult(ctx: AttemptContext, result: Extract<DialResult, { kind: "finished" }>, now = new Date()): AttemptFinish {
  return finishWithOutcome(ctx, result.outcome, { answeredAt: result.answeredAt, endedAt: result.endedAt, durationSec: result.durationSec, providerCallId: result.providerCallId }, now);
}

export function finishWithOutcome(
  ctx: AttemptContext,
  outcome: CallOutcome,
  call: { answeredAt: Date | null; endedAt: Date; durationSec: number | null; providerCallId: string | null },
  now = new Date(),
): AttemptFinish {
  const next = leadAfterOutcome(outcome, ctx.attemptNumber, ctx, now);
  return { attemptId: ctx.attemptId, tenantId: ctx.tenantId, leadId: ctx.leadId, outcome, ...call, leadStatus: next.status, nextAttemptAt: next.nextAttemptAt };
}

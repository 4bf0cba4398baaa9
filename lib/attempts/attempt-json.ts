import type { CallAttempt } from "@prisma/client";

// One call attempt as the REST API, the lead page and the attempts export show it.

export type AttemptRow = Pick<
  CallAttempt,
  "id" | "leadId" | "attemptNumber" | "queuedAt" | "dialedAt" | "answeredAt" | "endedAt" | "outcome" | "outcomeAssumed" | "error" | "providerCallId" | "inDoubtSince"
> & { phone: string };

export function serializeAttempt(a: AttemptRow) {
  return {
    id: a.id,
    leadId: a.leadId.toString(),
    phone: a.phone,
    attemptNumber: a.attemptNumber,
    queuedAt: a.queuedAt.toISOString(),
    dialedAt: a.dialedAt?.toISOString() ?? null,
    answeredAt: a.answeredAt?.toISOString() ?? null,
    endedAt: a.endedAt?.toISOString() ?? null,
    durationSec: talkSeconds(a.answeredAt, a.endedAt),
    outcome: a.outcome,
    outcomeAssumed: a.outcomeAssumed,
    error: a.error,
    providerCallId: a.providerCallId,
    inDoubt: a.inDoubtSince !== null,
  };
}
export type AttemptJson = ReturnType<typeof serializeAttempt>;

/**
 * Seconds from answer to hang-up, rounded to the second; null for a call never answered or still going. A
 * clock step between the two readings can put the end before the answer: that is 0 s, not a negative length.
 */
export function talkSeconds(answeredAt: Date | null, endedAt: Date | null): number | null {
  if (!answeredAt || !endedAt) return null;
  return Math.max(0, Math.round((endedAt.getTime() - answeredAt.getTime()) / 1000));
}

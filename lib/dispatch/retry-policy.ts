import type { CallOutcome, LeadStatus } from "@prisma/client";

export interface RetryPolicy {
  maxAttempts: number;
  retryDelaySec: number;
  retryOutcomes: CallOutcome[];
}

const FINAL_STATUS: Record<CallOutcome, LeadStatus> = {
  COMPLETED: "COMPLETED",
  VOICEMAIL: "VOICEMAIL",
  NO_ANSWER: "NO_ANSWER",
  BUSY: "BUSY",
  FAILED: "FAILED",
  // The provider refused the call for good (bad number format, account problem): nothing left to try.
  PROVIDER_ERROR: "FAILED",
};

/** Where a lead goes after an attempt ended with `outcome` (attemptNumber counts from 1). */
export function leadAfterOutcome(outcome: CallOutcome, attemptNumber: number, policy: RetryPolicy, now: Date): { status: LeadStatus; nextAttemptAt: Date | null } {
  const retryable = outcome !== "COMPLETED" && policy.retryOutcomes.includes(outcome);
  if (retryable && attemptNumber < policy.maxAttempts) {
    return { status: "SCHEDULED", nextAttemptAt: new Date(now.getTime() + policy.retryDelaySec * 1000) };
  }
  return { status: FINAL_STATUS[outcome], nextAttemptAt: null };
}

/** Backoff for provider rate-limit/5xx errors, which re-queue the same attempt without consuming it. */
export function providerBackoffMs(retry: number, hintMs?: number) {
  const exp = Math.min(30_000, 250 * 2 ** retry);
  return Math.max(hintMs ?? 0, exp / 2 + Math.random() * (exp / 2));
}

export const MAX_PROVIDER_RETRIES = 8;

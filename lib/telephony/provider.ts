// The one interface every telephony provider implements; the worker only ever talks to this.
import type { CallOutcome } from "@prisma/client";

export interface DialRequest {
  attemptId: string;
  tenantId: string;
  campaignId: string;
  /** E.164, validated at import. */
  to: string;
  variables: Record<string, unknown>;
  twimlUrl?: string | null;
}

export type DialResult =
  | { kind: "finished"; providerCallId: string; outcome: CallOutcome; dialedAt: Date; answeredAt: Date | null; endedAt: Date; durationSec: number }
  // The outcome arrives later by status callback (Twilio).
  | { kind: "pending"; providerCallId: string; dialedAt: Date };

export interface TelephonyProvider {
  readonly name: string;
  /** Place the call for this attempt. Idempotent by attemptId: placing the same attempt again must not dial again. */
  placeCall(req: DialRequest): Promise<DialResult>;
  /** What the provider knows about an attempt (after a crash between dialing and recording): null = never dialed. */
  lookup(attemptId: string, providerCallId?: string | null): Promise<DialResult | null>;
}

export type ProviderErrorKind = "rate-limited" | "server" | "client";

/**
 * The provider refused or failed to place a call. "rate-limited" and "server" mean no call was placed and
 * the attempt may be retried later without consuming it; "client" is final for this attempt.
 */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
  readonly kind: ProviderErrorKind;
  readonly retryAfterMs?: number;

  constructor(kind: ProviderErrorKind, message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
  }

  get retryable(): boolean {
    return this.kind !== "client";
  }
}

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
  // optOut: the callee asked not to be called again (a provider or agent that reports it in the result).
  | { kind: "finished"; providerCallId: string; outcome: CallOutcome; dialedAt: Date; answeredAt: Date | null; endedAt: Date; durationSec: number; optOut?: boolean }
  // The outcome arrives later by status callback (Twilio).
  | { kind: "pending"; providerCallId: string; dialedAt: Date };

/** What the caller knows about an attempt when it asks the provider what became of it. */
export interface LookupQuery {
  attemptId: string;
  /** The provider's call id, when the provider ever told us one. */
  providerCallId: string | null;
  /** E.164 number the attempt dials. */
  to: string;
  /** When the dial request was sent (the claim); a provider without per-attempt ids searches from here. */
  requestedAt: Date | null;
}

/** A lookup's answer: the call as the provider knows it, or a positive "no such call was ever placed". */
export type LookupResult = DialResult | { kind: "not-found" };

export interface TelephonyProvider {
  readonly name: string;
  /** Place the call for this attempt. The caller claims the attempt in Postgres first, so this is called once per attempt. */
  placeCall(req: DialRequest): Promise<DialResult>;
  /**
   * What the provider knows about an attempt whose dial request may have been sent. Resolves only with a positive
   * answer; when the provider cannot tell right now (429, 5xx, timeout, too early to be sure) it throws, and the
   * attempt stays in doubt until a later lookup or a status callback.
   */
  lookup(query: LookupQuery): Promise<LookupResult>;
}

/**
 * - "rate-limited", "server": the provider refused before placing anything; the attempt may be retried later
 *   without consuming it.
 * - "client": refused for good (bad number, account problem); final for this attempt, and no call was placed.
 * - "in-doubt": the request may have reached the provider and the call may exist (timeout, connection reset,
 *   5xx after sending). Never retried under any attempt id; resolved by a callback or a lookup.
 */
export type ProviderErrorKind = "rate-limited" | "server" | "client" | "in-doubt";

export class ProviderError extends Error {
  override readonly name = "ProviderError";
  readonly kind: ProviderErrorKind;
  readonly retryAfterMs?: number;

  constructor(kind: ProviderErrorKind, message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** No call was placed and asking again may succeed. */
  get retryable(): boolean {
    return this.kind === "rate-limited" || this.kind === "server";
  }

  /** The call may exist: the attempt must not be dialed again until the provider says what happened. */
  get inDoubt(): boolean {
    return this.kind === "in-doubt";
  }
}

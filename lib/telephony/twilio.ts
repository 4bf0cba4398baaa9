// Real outbound calls through Twilio's REST API. The outcome arrives later on the status callback.
// Twilio has no idempotency key for Calls: the caller claims each attempt in Postgres before placeCall, so this
// sends exactly one create per call, and a create whose answer never came is found again by listing calls.
import type { CallOutcome } from "@prisma/client";
import twilio from "twilio";
import type { CallInstance, CallPage } from "twilio/lib/rest/api/v2010/account/call";
import type { RequestOptions, RequestClientOptions } from "twilio/lib/base/RequestClient";
import { ProviderError, type DialRequest, type DialResult, type LookupQuery, type LookupResult, type TelephonyProvider } from "./provider";

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** A Twilio number or verified caller id of the account. */
  fromNumber: string;
  /** Where Twilio reaches this app: the status callback and the default TwiML route hang off it. */
  publicBaseUrl: string;
  /** Origin (and optional path) to send REST requests to instead of https://api.twilio.com, e.g. a local fake. */
  apiBase?: string;
  requestTimeoutMs?: number;
  /** How long after a dial request an empty call list proves no call was placed; default requestTimeoutMs + LIST_SETTLE_MARGIN_MS. */
  settleMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
// Twilio's call list trails a create; a call the request created is listed this long after the request gave up.
export const LIST_SETTLE_MARGIN_MS = 30_000;
// date_created has one-second resolution and Twilio's clock is not ours.
const CLOCK_SKEW_MS = 5_000;
const LIST_PAGE_SIZE = 50;
// More calls than this to one number within a lookup window is not a dialer at work; refuse to guess which is ours.
const MAX_LIST_PAGES = 10;
const STATUS_EVENTS = ["initiated", "ringing", "answered", "completed"];
// Connection errors that prove the request never reached Twilio, so no call can exist.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

type CallListPage = Pick<CallPage, "instances" | "nextPageUrl" | "nextPage">;

export class TwilioProvider implements TelephonyProvider {
  readonly name = "twilio";
  private readonly client: twilio.Twilio;
  private readonly requestTimeoutMs: number;
  private readonly settleMs: number;
  private readonly publicBaseUrl: string;

  constructor(private readonly config: TwilioConfig) {
    this.requestTimeoutMs = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.settleMs = config.settleMs ?? this.requestTimeoutMs + LIST_SETTLE_MARGIN_MS;
    this.publicBaseUrl = config.publicBaseUrl.replace(/\/$/, "");
    // autoRetry stays off: a 429 goes back to the worker, whose shared CPS limiter is the one place that backs off.
    const httpClient = new TwilioHttpClient(config.apiBase, { timeout: this.requestTimeoutMs, autoRetry: false });
    this.client = twilio(config.accountSid, config.authToken, { httpClient });
  }

  async placeCall(req: DialRequest): Promise<DialResult> {
    let call: CallInstance;
    try {
      call = await this.client.calls.create({
        to: req.to,
        from: this.config.fromNumber,
        // attemptId rides along so the TwiML endpoint can find the lead's variables.
        url: withAttemptId(req.twimlUrl ?? `${this.publicBaseUrl}/api/telephony/twilio/twiml`, req.attemptId),
        statusCallback: withAttemptId(`${this.publicBaseUrl}/api/telephony/twilio/status`, req.attemptId),
        statusCallbackMethod: "POST",
        statusCallbackEvent: STATUS_EVENTS,
        machineDetection: "Enable",
      });
    } catch (err) {
      throw dialError(err, this.requestTimeoutMs);
    }
    return { kind: "pending", providerCallId: call.sid, dialedAt: new Date() };
  }

  async lookup(query: LookupQuery): Promise<LookupResult> {
    if (query.providerCallId) return this.fetchCall(query.providerCallId, query.attemptId);
    // Without a claim the request was never sent.
    if (!query.requestedAt) return { kind: "not-found" };
    return this.findCall(query, query.requestedAt);
  }

  private async fetchCall(sid: string, attemptId: string): Promise<LookupResult> {
    try {
      return resultFromCall(await this.client.calls(sid).fetch());
    } catch (err) {
      if (err instanceof TwilioHttpError && err.status === 404) {
        // Twilio itself gave us this sid, so the call exists somewhere (another account, a lagging replica).
        throw new ProviderError("in-doubt", `Twilio does not find call ${sid} of attempt ${attemptId}, though it returned that sid; not treating it as never placed`, { cause: err });
      }
      throw lookupError(err, `fetching call ${sid}`, this.requestTimeoutMs);
    }
  }

  /** The dial request's answer never arrived: the earliest call to that number from ours since the request is the one it placed. */
  private async findCall({ attemptId, to }: LookupQuery, requestedAt: Date): Promise<LookupResult> {
    const sinceMs = requestedAt.getTime() - CLOCK_SKEW_MS;
    // Decided before listing: only a list taken after the settle time can prove an absence.
    const ageMs = Date.now() - requestedAt.getTime();
    let calls: CallInstance[];
    try {
      calls = await this.listCallsSince(to, sinceMs);
    } catch (err) {
      throw err instanceof ProviderError ? err : lookupError(err, `listing calls to ${to}`, this.requestTimeoutMs);
    }
    const earliest = calls.sort((a, b) => createdMs(a) - createdMs(b))[0];
    if (earliest) return resultFromCall(earliest);
    if (ageMs >= this.settleMs) return { kind: "not-found" };
    throw new ProviderError(
      "in-doubt",
      `Twilio lists no call to ${to} for attempt ${attemptId} yet, but it was requested only ${ageMs} ms ago; too early to be sure none was placed (sure after ${this.settleMs} ms)`,
      { retryAfterMs: this.settleMs - ageMs },
    );
  }

  /** Twilio lists calls newest first, so paging stops at the first call older than the window. */
  private async listCallsSince(to: string, sinceMs: number): Promise<CallInstance[]> {
    const found: CallInstance[] = [];
    let page: CallListPage = await this.client.calls.page({ to, from: this.config.fromNumber, pageSize: LIST_PAGE_SIZE });
    for (let pages = 1; ; pages++) {
      found.push(...page.instances.filter((call) => createdMs(call) >= sinceMs));
      if (!page.nextPageUrl || page.instances.some((call) => createdMs(call) < sinceMs)) return found;
      if (pages >= MAX_LIST_PAGES) {
        throw new ProviderError("in-doubt", `more than ${pages * LIST_PAGE_SIZE} calls to ${to} since ${new Date(sinceMs).toISOString()}; cannot tell which one this attempt placed`);
      }
      const next = await page.nextPage();
      if (!next) return found;
      page = next;
    }
  }
}

/** A Twilio CallStatus (+ AnsweredBy from machine detection) as our outcome; null while the call is not over. */
export function mapTwilioStatus(callStatus: string, answeredBy?: string | null): CallOutcome | null {
  switch (callStatus) {
    case "completed":
      return answeredBy?.startsWith("machine_") ? "VOICEMAIL" : "COMPLETED";
    case "busy":
      return "BUSY";
    case "no-answer":
      return "NO_ANSWER";
    case "failed":
    case "canceled":
      return "FAILED";
    default:
      return null; // queued, initiated, ringing, in-progress
  }
}

/**
 * Whether a webhook really comes from Twilio. `url` is the full URL Twilio requested (query string included),
 * `params` the POSTed form fields. Pass the X-Twilio-Webhooks-Signature-Settings header when present: it names the
 * signing algorithm.
 */
export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, unknown>,
  signatureHeader: string | null | undefined,
  signatureSettingsHeader?: string | null,
): boolean {
  if (!signatureHeader) return false;
  return twilio.validateRequest(authToken, signatureHeader, url, params, twilio.getSignatureAlgorithm(signatureSettingsHeader));
}

// "Tue, 10 Mar 2026 12:00:30 +0000" (what Twilio sends) or the HTTP-date form with GMT.
const RFC_2822 = /^(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|GMT|UTC?)$/;

/** The RFC 2822 `Timestamp` of a status callback; null when absent or not such a date (Date.parse alone takes "12"). */
export function parseTwilioTimestamp(value: string | undefined): Date | null {
  const trimmed = value?.trim();
  if (!trimmed || !RFC_2822.test(trimmed)) return null;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** An HTTP error answer from Twilio; what it means depends on whether the request could have placed a call. */
class TwilioHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

/**
 * The SDK's hook for transport: rebases every request onto `apiBase` (a local fake in tests) and turns HTTP
 * errors into TwilioHttpError here, where the Retry-After header is still visible.
 */
class TwilioHttpClient extends twilio.RequestClient {
  constructor(
    private readonly apiBase: string | undefined,
    opts: RequestClientOptions,
  ) {
    super(opts);
  }

  override async request<TData>(opts: RequestOptions<TData>) {
    const res = await super.request({ ...opts, uri: this.apiBase ? rebase(opts.uri, this.apiBase) : opts.uri });
    if (res.statusCode >= 400) throw httpErrorFromResponse(res.statusCode, res.body, res.headers);
    return res;
  }
}

function dialError(err: unknown, timeoutMs: number): ProviderError {
  if (err instanceof TwilioHttpError) {
    if (err.status === 429) return new ProviderError("rate-limited", `${err.message}; no call was placed`, { retryAfterMs: err.retryAfterMs, cause: err });
    // Twilio may have created the call before failing to answer.
    if (err.status >= 500) return new ProviderError("in-doubt", `${err.message}; the call may have been placed`, { cause: err });
    return new ProviderError("client", `${err.message}; no call was placed`, { cause: err });
  }
  const code = errorCode(err);
  if (NOT_SENT_CODES.has(code)) return new ProviderError("server", `Twilio unreachable (${code}); the request never left, no call was placed`, { cause: err });
  if (isTimeout(err)) return new ProviderError("in-doubt", `Twilio did not answer within ${timeoutMs} ms; the call may have been placed`, { cause: err });
  // A reset, a hang-up, an unreadable answer: the request may have been written, so the call may exist.
  return new ProviderError("in-doubt", `Twilio request failed (${errorDetail(err)}); the call may have been placed`, { cause: err });
}

/** A lookup only reads, so any failure is safe to ask again; only Twilio's own 4xx is not worth repeating soon. */
function lookupError(err: unknown, what: string, timeoutMs: number): ProviderError {
  if (err instanceof TwilioHttpError) {
    if (err.status === 429) return new ProviderError("rate-limited", `${what}: ${err.message}`, { retryAfterMs: err.retryAfterMs, cause: err });
    return new ProviderError(err.status >= 500 ? "server" : "client", `${what}: ${err.message}`, { cause: err });
  }
  const detail = isTimeout(err) ? `Twilio did not answer within ${timeoutMs} ms` : `Twilio request failed (${errorDetail(err)})`;
  return new ProviderError("server", `${what}: ${detail}`, { cause: err });
}

function httpErrorFromResponse(status: number, body: unknown, headers: Record<string, unknown> | undefined) {
  const parsed = typeof body === "string" ? safeJson(body) : body;
  const detail = parsed && typeof parsed === "object" ? (parsed as { message?: string; code?: number }) : {};
  const message = `Twilio HTTP ${status}${detail.code ? ` (error ${detail.code})` : ""}: ${detail.message ?? "request failed"}`;
  return new TwilioHttpError(status, message, status === 429 ? parseRetryAfter(headers?.["retry-after"]) : undefined);
}

function resultFromCall(call: CallInstance): DialResult {
  const dialedAt = asDate(call.startTime) ?? asDate(call.dateCreated) ?? new Date();
  const outcome = mapTwilioStatus(call.status, call.answeredBy);
  if (!outcome) return { kind: "pending", providerCallId: call.sid, dialedAt };
  const endedAt = asDate(call.endTime) ?? asDate(call.dateUpdated) ?? new Date();
  // Twilio's duration counts from the answer, so it also tells when the call was answered.
  const durationSec = Number(call.duration) || 0;
  const answered = outcome === "COMPLETED" || outcome === "VOICEMAIL";
  const answeredAt = answered ? new Date(endedAt.getTime() - durationSec * 1000) : null;
  return { kind: "finished", providerCallId: call.sid, outcome, dialedAt, answeredAt, endedAt, durationSec };
}

function createdMs(call: CallInstance) {
  return asDate(call.dateCreated)?.getTime() ?? Number.NEGATIVE_INFINITY;
}

function withAttemptId(url: string, attemptId: string) {
  const u = new URL(url);
  u.searchParams.set("attemptId", attemptId);
  return u.toString();
}

function rebase(uri: string, apiBase: string) {
  const u = new URL(uri);
  return `${apiBase.replace(/\/$/, "")}${u.pathname}${u.search}`;
}

/** Retry-After is either delta-seconds or an HTTP date. */
function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

// The SDK hands back the raw string when a date field is empty or unparsable.
function asDate(value: unknown): Date | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}

// axios reports its own timeout as ECONNABORTED (ETIMEDOUT with clarifyTimeoutError); a socket timeout as ETIMEDOUT.
function isTimeout(err: unknown) {
  const code = errorCode(err);
  return code === "ECONNABORTED" || code === "ETIMEDOUT";
}

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return String(e?.code ?? e?.cause?.code ?? "");
}

function errorDetail(err: unknown) {
  const message = err instanceof Error ? err.message : String(err);
  const code = errorCode(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

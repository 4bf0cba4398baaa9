// Real outbound calls through Twilio's REST API. The outcome arrives later on the status callback.
// Twilio has no idempotency key for Calls, so the attempt → CallSid mapping lives in Redis, claimed with
// SET NX before the request: an attempt is never sent to Twilio twice, even by two racing processes.
import type { CallOutcome } from "@prisma/client";
import type { Redis } from "ioredis";
import twilio from "twilio";
import type { CallInstance } from "twilio/lib/rest/api/v2010/account/call";
import type { RequestOptions, RequestClientOptions } from "twilio/lib/base/RequestClient";
import { ProviderError, type DialRequest, type DialResult, type TelephonyProvider } from "./provider";

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
}

const STATUS_EVENTS = ["initiated", "ringing", "answered", "completed"];
// Attempt ids are never reused and retries happen within hours, so a week keeps every claim that matters.
const CLAIM_TTL_MS = 7 * 24 * 60 * 60 * 1000;
// Connection errors that prove the request never reached Twilio, so no call can exist.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

type Claim = { claimedAt: number } | { sid: string; dialedAt: string };

export class TwilioProvider implements TelephonyProvider {
  readonly name = "twilio";
  private readonly client: twilio.Twilio;
  private readonly requestTimeoutMs: number;
  private readonly publicBaseUrl: string;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly config: TwilioConfig,
  ) {
    this.requestTimeoutMs = config.requestTimeoutMs ?? 15_000;
    this.publicBaseUrl = config.publicBaseUrl.replace(/\/$/, "");
    // autoRetry stays off: a 429 goes back to the worker, whose shared CPS limiter is the one place that backs off.
    const httpClient = new TwilioHttpClient(config.apiBase, { timeout: this.requestTimeoutMs, autoRetry: false });
    this.client = twilio(config.accountSid, config.authToken, { httpClient });
  }

  async placeCall(req: DialRequest): Promise<DialResult> {
    const key = this.attemptKey(req.attemptId);
    const claim: Claim = { claimedAt: Date.now() };
    if ((await this.redis.set(key, JSON.stringify(claim), "PX", CLAIM_TTL_MS, "NX")) !== "OK") return this.alreadyClaimed(req.attemptId);

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
      if (err instanceof ProviderError || NOT_SENT_CODES.has(errorCode(err))) {
        // Twilio answered with an error, or never heard the request: no call exists, so a retry may dial.
        await this.redis.del(key);
        throw err instanceof ProviderError ? err : new ProviderError("server", `Twilio unreachable: ${errorCode(err)}`, { cause: err });
      }
      // A timeout or dropped connection: Twilio may have placed the call. The claim stays so it is never placed twice.
      throw new ProviderError("server", `Twilio did not answer (${errorCode(err) || String(err)}); the call may have been placed`, { retryAfterMs: this.inDoubtAfterMs(), cause: err });
    }
    const dialedAt = new Date();
    const placed: Claim = { sid: call.sid, dialedAt: dialedAt.toISOString() };
    await this.redis.set(key, JSON.stringify(placed), "PX", CLAIM_TTL_MS);
    return { kind: "pending", providerCallId: call.sid, dialedAt };
  }

  /** null = no call Twilio confirmed for this attempt (never dialed, or a dial whose fate is unknown). */
  async lookup(attemptId: string, providerCallId?: string | null): Promise<DialResult | null> {
    const sid = providerCallId ?? (await this.recordedSid(attemptId));
    if (!sid) return null;
    return resultFromCall(await this.client.calls(sid).fetch());
  }

  private async alreadyClaimed(attemptId: string): Promise<DialResult> {
    const raw = await this.redis.get(this.attemptKey(attemptId));
    // The other dial failed and released its claim in between: the worker's retry may dial.
    if (!raw) throw new ProviderError("server", `attempt ${attemptId} was being dialed elsewhere and failed`, { retryAfterMs: 0 });
    const claim = JSON.parse(raw) as Claim;
    if ("sid" in claim) return { kind: "pending", providerCallId: claim.sid, dialedAt: new Date(claim.dialedAt) };
    const age = Date.now() - claim.claimedAt;
    if (age < this.inDoubtAfterMs()) {
      throw new ProviderError("server", `attempt ${attemptId} is being dialed by another caller`, { retryAfterMs: this.inDoubtAfterMs() - age });
    }
    // Better to lose one attempt than to ring a person twice; the status callback still reports the call if it exists.
    throw new ProviderError("client", `attempt ${attemptId} may already have been dialed (Twilio never confirmed it); not dialing again`);
  }

  private async recordedSid(attemptId: string): Promise<string | null> {
    const raw = await this.redis.get(this.attemptKey(attemptId));
    const claim = raw ? (JSON.parse(raw) as Claim) : null;
    return claim && "sid" in claim ? claim.sid : null;
  }

  /** After this long a claim without a CallSid cannot be an answer still on its way. */
  private inDoubtAfterMs() {
    return this.requestTimeoutMs + 5_000;
  }

  private attemptKey(attemptId: string) {
    return `${this.keyPrefix}:twilio:attempt:${attemptId}`;
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

/**
 * The SDK's hook for transport: rebases every request onto `apiBase` (a local fake in tests) and turns HTTP
 * errors into ProviderError here, where the Retry-After header is still visible.
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
    if (res.statusCode >= 400) throw providerErrorFromResponse(res.statusCode, res.body, res.headers);
    return res;
  }
}

function providerErrorFromResponse(status: number, body: unknown, headers: Record<string, unknown> | undefined) {
  const parsed = typeof body === "string" ? safeJson(body) : body;
  const detail = parsed && typeof parsed === "object" ? (parsed as { message?: string; code?: number }) : {};
  const message = `Twilio HTTP ${status}${detail.code ? ` (error ${detail.code})` : ""}: ${detail.message ?? "request failed"}`;
  if (status === 429) return new ProviderError("rate-limited", message, { retryAfterMs: parseRetryAfter(headers?.["retry-after"]) });
  if (status >= 500) return new ProviderError("server", message);
  return new ProviderError("client", message);
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

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return String(e?.code ?? e?.cause?.code ?? "");
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

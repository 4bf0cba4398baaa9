// A Twilio-shaped fake for tests: a local HTTP server speaking the Calls REST API the way the twilio SDK calls it
// (point the SDK at it with TWILIO_API_BASE). Each call lives on timers (queued → initiated → ringing → answered →
// completed, or no-answer / busy / failed) and reports every subscribed event by a status callback signed like
// Twilio signs it. Faults can be switched on while a test runs. Its call log is the ground truth the fault tests
// judge the engine by: which numbers really rang, when each call was created, how long it lived.
// Every draw for a call comes from hash(seed, To, how many calls that number had before), so a number's calls
// have the same outcomes and timings whatever order the engine dials in.
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import twilio from "twilio";

export interface Range {
  min: number;
  max: number;
}

export type FinalStatus = "completed" | "no-answer" | "busy" | "failed" | "canceled";
export type CallStatus = "queued" | "ringing" | "in-progress" | FinalStatus;
export type CallbackEvent = "initiated" | "ringing" | "answered" | "completed";

export interface TwilioFakeOptions {
  accountSid: string;
  authToken: string;
  seed?: number;
  /**
   * Where callbacks are delivered: the StatusCallback URL with its origin replaced by this one. Twilio calls the
   * public URL and signs it; the app behind a proxy sees its own address. Unset = the URL as given.
   */
  deliverTo?: string;
  /** Time in the queue before Twilio starts dialing. */
  queueMs?: Range;
  /** initiated → ringing. */
  dialMs?: Range;
  /** Ringing until answered, busy, or the no-answer timeout. */
  ringMs?: Range;
  /** Talk time of an answered call. */
  talkMs?: Range;
  /** Relative weights of the final statuses. */
  outcomes?: Partial<Record<Exclude<FinalStatus, "canceled">, number>>;
  /** Share of answered calls (with MachineDetection) an answering machine takes. */
  machineRate?: number;
  /** How long the REST API takes to answer a create or a lookup. */
  apiLatencyMs?: Range;
  /** A new call is invisible to fetch and list for this long (Twilio's read side lags its write side). */
  lookupLagMs?: number;
  /** Retries of a callback that got a non-2xx or no answer, with doubling backoff from callbackRetryMs. */
  callbackRetries?: number;
  callbackRetryMs?: number;
  callbackTimeoutMs?: number;
}

/** Faults of the REST API. A rule applies while it has `count` left and before `forMs` ran out, with probability `rate`. */
export interface FaultWindow {
  count?: number;
  forMs?: number;
  rate?: number;
  retryAfterSec?: number;
}
/**
 * Refusals (429/500/503) create nothing. The others create the call, which lives and calls back, but the client
 * never learns its sid: "hang" withholds the response until the client gives up, "reset" drops the connection,
 * "error-after-create" answers 500 (or `status`).
 */
export type CreateFault = 429 | 500 | 503 | "hang" | "reset" | "error-after-create";
/** 404 applies to fetching one call (the list has no such answer); the others to fetch and list alike. */
export type LookupFault = 429 | 500 | 503 | 404 | "hang";

/** Apply to callbacks as they fire; whether a call's callbacks are reordered is drawn when the call is created. */
export interface CallbackFaults {
  /** Extra delay of each callback. */
  delayMs?: Range;
  /** Share of callbacks sent twice. */
  duplicateRate?: number;
  /** Share of calls whose callbacks are held and sent after the call ended, the final one first. */
  reorderRate?: number;
  /** Share of callbacks never sent. */
  dropRate?: number;
}

export interface CallbackDelivery {
  event: CallbackEvent;
  callStatus: string;
  sequenceNumber: number;
  firedAt: number;
  /** One entry per HTTP try (retries and the duplicate's included): when it ended, the response status or the connection error. */
  tries: { at: number; retry: number; status?: number; error?: string }[];
  dropped?: boolean;
  duplicate?: boolean;
}

export interface FakeCall {
  sid: string;
  to: string;
  from: string;
  /** From the StatusCallback URL's attemptId query parameter (fairdial's per-attempt callback). */
  attemptId: string | null;
  statusCallback: string | null;
  events: CallbackEvent[];
  machineDetection: boolean;
  /** When the create request arrived (the call exists from this instant). */
  createdAt: number;
  /**
   * What the client got back: "ok" (201 with the sid), the fault that hid the sid from it, or "client-gone" when
   * the client hung up (or died) before the answer; Twilio places the call all the same.
   */
  response: "ok" | Exclude<CreateFault, 429 | 500 | 503> | "client-gone" | "pending";
  status: CallStatus;
  answeredBy: string | null;
  startedAt: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  updatedAt: number;
  callbacks: CallbackDelivery[];
}

export interface FakeRequest {
  at: number;
  method: string;
  kind: "create" | "fetch" | "list" | "update" | "other";
  status: number | "hang" | "reset" | "client-gone";
}

const DEFAULTS = {
  seed: 42,
  queueMs: { min: 50, max: 200 },
  dialMs: { min: 100, max: 300 },
  ringMs: { min: 1_000, max: 3_000 },
  talkMs: { min: 5_000, max: 20_000 },
  outcomes: { completed: 0.6, "no-answer": 0.2, busy: 0.1, failed: 0.1 },
  machineRate: 0.2,
  apiLatencyMs: { min: 5, max: 30 },
  lookupLagMs: 0,
  callbackRetries: 3,
  callbackRetryMs: 250,
  callbackTimeoutMs: 5_000,
} satisfies Omit<Required<TwilioFakeOptions>, "accountSid" | "authToken" | "deliverTo">;

const FINAL: ReadonlySet<string> = new Set(["completed", "no-answer", "busy", "failed", "canceled"]);
const PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls(?:\/([^/]+))?\.json$/;
// An unanswered hang is cut off after this long, so a client that never gives up cannot keep a socket forever.
const MAX_HANG_MS = 120_000;

interface Rule<K> extends FaultWindow {
  kind: K;
  until?: number;
}

export class TwilioFake {
  readonly options: Required<Omit<TwilioFakeOptions, "deliverTo">> & { deliverTo?: string };
  callbackFaults: CallbackFaults = {};
  private readonly server: Server;
  private readonly calls: FakeCall[] = [];
  private readonly bySid = new Map<string, FakeCall>();
  /** Per live call: sends its lifecycle event callbacks (held ones too, once the final one is out). */
  private readonly finishers = new Map<string, (event: CallbackEvent, status: string) => void>();
  private readonly perNumber = new Map<string, number>();
  private readonly requestLog: FakeRequest[] = [];
  private createRules: Rule<CreateFault>[] = [];
  private lookupRules: Rule<LookupFault>[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly faultRng: () => number;
  private sidCounter = 0;
  private openCreates = 0;
  private closed = false;
  url = "";

  private constructor(options: TwilioFakeOptions) {
    this.options = { ...DEFAULTS, ...options, outcomes: { ...DEFAULTS.outcomes, ...options.outcomes } } as TwilioFake["options"];
    this.faultRng = rng(`${this.options.seed}:faults`);
    this.server = createServer((req, res) => void this.handle(req, res).catch((err) => this.reply(res, 500, { code: 20500, message: String(err), status: 500 })));
  }

  static async start(options: TwilioFakeOptions): Promise<TwilioFake> {
    const fake = new TwilioFake(options);
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  // ---------- faults

  failCreates(kind: CreateFault, window: FaultWindow = {}) {
    this.createRules.push(rule(kind, window));
  }

  failLookups(kind: LookupFault, window: FaultWindow = {}) {
    this.lookupRules.push(rule(kind, window));
  }

  clearFaults() {
    this.createRules = [];
    this.lookupRules = [];
    this.callbackFaults = {};
  }

  // ---------- ground truth

  createdCalls(): readonly FakeCall[] {
    return this.calls;
  }

  callsTo(number: string): FakeCall[] {
    return this.calls.filter((c) => c.to === number);
  }

  requests(): readonly FakeRequest[] {
    return this.requestLog;
  }

  /** Create requests received and not yet answered (or given up on by the client). */
  inFlightCreates(): number {
    return this.openCreates;
  }

  /** Calls that exist and have not ended at `at`. */
  liveCalls(at = Date.now()): FakeCall[] {
    return this.calls.filter((c) => c.createdAt <= at && (c.endedAt === null || c.endedAt > at));
  }

  /** The most calls to these numbers alive at the same instant, over the whole run (exact, from the call intervals). */
  maxLive(numbers: Iterable<string>): number {
    const set = new Set(numbers);
    const edges: [number, number][] = [];
    for (const c of this.calls) {
      if (!set.has(c.to)) continue;
      edges.push([c.createdAt, 1], [c.endedAt ?? Infinity, -1]);
    }
    // An end and a start at the same millisecond do not overlap.
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let live = 0;
    let max = 0;
    for (const [, d] of edges) max = Math.max(max, (live += d));
    return max;
  }

  /** The most calls to these numbers created within any window [t, t + windowMs). */
  maxCallsPerWindow(numbers: Iterable<string>, windowMs: number): number {
    const set = new Set(numbers);
    const times = this.calls.filter((c) => set.has(c.to)).map((c) => c.createdAt).sort((a, b) => a - b);
    let max = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= windowMs) j++;
      max = Math.max(max, i - j + 1);
    }
    return max;
  }

  /** True when every call has ended and every callback was delivered or given up. */
  settled(): boolean {
    return this.calls.every((c) => c.endedAt !== null) && this.inFlight.size === 0 && this.timers.size === 0;
  }

  async close() {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  // ---------- the REST API

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const at = Date.now();
    const form = new URLSearchParams(await readBody(req));
    const url = new URL(req.url ?? "/", "http://fake");
    const match = PATH.exec(url.pathname);
    const kind: FakeRequest["kind"] = !match ? "other" : req.method === "POST" ? (match[2] ? "update" : "create") : req.method === "GET" ? (match[2] ? "fetch" : "list") : "other";
    const log = (status: FakeRequest["status"]) => this.requestLog.push({ at, method: req.method ?? "", kind, status });
    if (kind === "create") {
      this.openCreates++;
      res.on("close", () => this.openCreates--);
    }

    if (!this.authorized(req)) {
      log(401);
      return this.reply(res, 401, { code: 20003, message: "Authenticate", more_info: "https://www.twilio.com/docs/errors/20003", status: 401 });
    }
    if (!match || match[1] !== this.options.accountSid || kind === "other") {
      log(404);
      return this.reply(res, 404, notFound(url.pathname));
    }
    await this.sleep(this.draw(this.faultRng, this.options.apiLatencyMs));
    if (kind === "create") return this.create(form, at, res, log);
    if (kind === "update") return this.update(match[2]!, form, res, log);
    return this.lookup(kind, match[2] ?? null, url.searchParams, res, log);
  }

  private create(form: URLSearchParams, at: number, res: ServerResponse, log: (s: FakeRequest["status"]) => void) {
    const to = form.get("To");
    const from = form.get("From");
    const invalid = !to ? [21201, "No 'To' number is specified"] : !/^\+[1-9]\d{6,14}$/.test(to) ? [21211, `Invalid 'To' Phone Number: ${to}`] : !from ? [21213, "No 'From' number is specified"] : !form.get("Url") && !form.get("Twiml") ? [21205, "Url parameter is required."] : null;
    if (invalid) {
      log(400);
      return this.reply(res, 400, { code: invalid[0], message: invalid[1], more_info: `https://www.twilio.com/docs/errors/${invalid[0]}`, status: 400 });
    }
    const fault = this.takeFault(this.createRules);
    if (fault && typeof fault.kind === "number") {
      log(fault.kind);
      return this.refuse(res, fault.kind, fault.retryAfterSec);
    }
    const call = this.newCall(to!, from!, form, at);
    if (res.destroyed) {
      call.response = "client-gone";
      log("client-gone");
      return;
    }
    if (!fault) {
      call.response = "ok";
      log(201);
      return this.reply(res, 201, this.resource(call));
    }
    call.response = fault.kind as FakeCall["response"];
    if (fault.kind === "hang") {
      log("hang");
      return this.hang(res);
    }
    if (fault.kind === "reset") {
      log("reset");
      res.socket?.destroy();
      return;
    }
    log(500);
    return this.reply(res, 500, { code: 20500, message: "Internal Server Error", more_info: "https://www.twilio.com/docs/errors/20500", status: 500 });
  }

  private lookup(kind: "fetch" | "list", sid: string | null, query: URLSearchParams, res: ServerResponse, log: (s: FakeRequest["status"]) => void) {
    const fault = this.takeFault(this.lookupRules.filter((r) => kind === "fetch" || r.kind !== 404));
    if (fault?.kind === "hang") {
      log("hang");
      return this.hang(res);
    }
    if (fault?.kind === 404) {
      log(404);
      return this.reply(res, 404, notFound(`/2010-04-01/Accounts/${this.options.accountSid}/Calls/${sid}.json`));
    }
    if (fault) {
      log(fault.kind);
      return this.refuse(res, fault.kind as 429 | 500 | 503, fault.retryAfterSec);
    }
    const now = Date.now();
    const visible = (c: FakeCall) => now - c.createdAt >= this.options.lookupLagMs;
    if (kind === "fetch") {
      const call = this.bySid.get(sid!);
      if (!call || !visible(call)) {
        log(404);
        return this.reply(res, 404, notFound(`/2010-04-01/Accounts/${this.options.accountSid}/Calls/${sid}.json`));
      }
      log(200);
      return this.reply(res, 200, this.resource(call));
    }
    const matches = this.calls.filter((c) => visible(c) && listFilter(c, query)).reverse();
    const pageSize = Math.min(1000, Math.max(1, Number(query.get("PageSize")) || 50));
    const page = Math.max(0, Number(query.get("Page")) || 0);
    const slice = matches.slice(page * pageSize, (page + 1) * pageSize);
    const base = `/2010-04-01/Accounts/${this.options.accountSid}/Calls.json`;
    const pageUri = (p: number) => {
      const q = new URLSearchParams(query);
      q.set("PageSize", String(pageSize));
      q.set("Page", String(p));
      return `${base}?${q}`;
    };
    log(200);
    this.reply(res, 200, {
      calls: slice.map((c) => this.resource(c)),
      start: page * pageSize,
      end: page * pageSize + Math.max(0, slice.length - 1),
      page,
      page_size: pageSize,
      uri: pageUri(page),
      first_page_uri: pageUri(0),
      previous_page_uri: page > 0 ? pageUri(page - 1) : null,
      next_page_uri: (page + 1) * pageSize < matches.length ? pageUri(page + 1) : null,
    });
  }

  /** Status=canceled ends a call not yet answered; Status=completed hangs up any live call. */
  private update(sid: string, form: URLSearchParams, res: ServerResponse, log: (s: FakeRequest["status"]) => void) {
    const call = this.bySid.get(sid);
    if (!call) {
      log(404);
      return this.reply(res, 404, notFound(`/2010-04-01/Accounts/${this.options.accountSid}/Calls/${sid}.json`));
    }
    const wanted = form.get("Status");
    if (!FINAL.has(call.status) && (wanted === "completed" || (wanted === "canceled" && call.status !== "in-progress"))) {
      this.finish(call, call.status === "in-progress" ? "completed" : "canceled");
    }
    log(200);
    this.reply(res, 200, this.resource(call));
  }

  // ---------- a call's life

  private newCall(to: string, from: string, form: URLSearchParams, at: number): FakeCall {
    const nth = this.perNumber.get(to) ?? 0;
    this.perNumber.set(to, nth + 1);
    const statusCallback = form.get("StatusCallback");
    const events = form.getAll("StatusCallbackEvent").flatMap((e) => e.split(/[\s,]+/)).filter(Boolean) as CallbackEvent[];
    const call: FakeCall = {
      sid: `CA${createHash("md5").update(`${this.options.seed}:sid:${this.sidCounter++}`).digest("hex")}`,
      to,
      from,
      attemptId: statusCallback ? new URL(statusCallback).searchParams.get("attemptId") : null,
      statusCallback,
      // Twilio's default with a StatusCallback and no events: only the completed event.
      events: statusCallback && events.length === 0 ? ["completed"] : events,
      machineDetection: ["Enable", "DetectMessageEnd"].includes(form.get("MachineDetection") ?? ""),
      createdAt: at,
      response: "pending",
      status: "queued",
      answeredBy: null,
      startedAt: null,
      answeredAt: null,
      endedAt: null,
      updatedAt: at,
      callbacks: [],
    };
    this.calls.push(call);
    this.bySid.set(call.sid, call);
    this.live(call, rng(`${this.options.seed}:${to}:${nth}`), at);
    return call;
  }

  private live(call: FakeCall, draw: () => number, at: number) {
    const o = this.options;
    const weights = Object.entries(o.outcomes) as [Exclude<FinalStatus, "canceled">, number][];
    const total = weights.reduce((s, [, w]) => s + w, 0);
    let pick = draw() * total;
    const outcome = weights.find(([, w]) => (pick -= w) < 0)?.[0] ?? "completed";
    const machine = draw() < o.machineRate;
    const initiatedAt = at + this.draw(draw, o.queueMs);
    const ringingAt = initiatedAt + this.draw(draw, o.dialMs);
    const ring = this.draw(draw, o.ringMs);
    const talk = this.draw(draw, o.talkMs);
    const reorder = this.faultRng() < (this.callbackFaults.reorderRate ?? 0);
    const held: (() => void)[] = [];
    const fire = (event: CallbackEvent, callStatus: string) => {
      const send = call.statusCallback && call.events.includes(event) ? this.callback(call, event, callStatus) : null;
      if (event !== "completed") {
        if (send && reorder) held.push(send);
        else send?.();
        return;
      }
      // The final callback goes first, then what was held, in no particular order.
      send?.();
      for (const h of shuffle(held.splice(0), this.faultRng)) this.later(h, this.faultRng() * 100);
    };
    this.finishers.set(call.sid, fire);
    // A call hung up through the API stops living its planned life.
    const step = (when: number, fn: () => void) => this.at(when, () => FINAL.has(call.status) || fn());

    step(initiatedAt, () => {
      call.startedAt = Date.now();
      call.updatedAt = call.startedAt;
      fire("initiated", "initiated");
      if (outcome === "failed") return step(ringingAt, () => this.finish(call, "failed"));
      step(ringingAt, () => {
        this.setStatus(call, "ringing");
        fire("ringing", "ringing");
        if (outcome === "busy") return step(ringingAt + ring * 0.3, () => this.finish(call, "busy"));
        if (outcome === "no-answer") return step(ringingAt + ring, () => this.finish(call, "no-answer"));
        step(ringingAt + ring, () => {
          if (call.machineDetection) call.answeredBy = machine ? "machine_start" : "human";
          call.answeredAt = Date.now();
          this.setStatus(call, "in-progress");
          fire("answered", "in-progress");
          step(ringingAt + ring + talk, () => this.finish(call, "completed"));
        });
      });
    });
  }

  private finish(call: FakeCall, status: FinalStatus) {
    if (FINAL.has(call.status)) return;
    call.endedAt = Date.now();
    this.setStatus(call, status);
    const fire = this.finishers.get(call.sid);
    this.finishers.delete(call.sid);
    fire?.("completed", status);
  }

  private setStatus(call: FakeCall, status: CallStatus) {
    call.status = status;
    call.updatedAt = Date.now();
  }

  /** Prepares the callback for an event as it fires (its sequence number and timestamp are the true ones). */
  private callback(call: FakeCall, event: CallbackEvent, callStatus: string): () => void {
    const firedAt = Date.now();
    const params: Record<string, string> = {
      AccountSid: this.options.accountSid,
      ApiVersion: "2010-04-01",
      CallSid: call.sid,
      CallStatus: callStatus,
      CallbackSource: "call-progress-events",
      Called: call.to,
      Caller: call.from,
      Direction: "outbound-api",
      From: call.from,
      To: call.to,
      SequenceNumber: String(call.callbacks.length),
      Timestamp: rfc2822(firedAt),
    };
    if (event === "completed") {
      const seconds = call.answeredAt ? Math.ceil((call.endedAt! - call.answeredAt) / 1000) : 0;
      params.CallDuration = String(seconds);
      params.Duration = String(Math.ceil(seconds / 60));
    }
    if (call.answeredBy && (event === "answered" || event === "completed")) params.AnsweredBy = call.answeredBy;
    const delivery: CallbackDelivery = { event, callStatus, sequenceNumber: call.callbacks.length, firedAt, tries: [] };
    call.callbacks.push(delivery);
    return () => {
      const f = this.callbackFaults;
      if (this.faultRng() < (f.dropRate ?? 0)) {
        delivery.dropped = true;
        return;
      }
      const token = randomUUID();
      const delay = f.delayMs ? this.draw(this.faultRng, f.delayMs) : 0;
      this.later(() => this.deliver(call, delivery, params, token, 0), delay);
      if (this.faultRng() < (f.duplicateRate ?? 0)) {
        delivery.duplicate = true;
        this.later(() => this.deliver(call, delivery, params, token, 0), delay + this.faultRng() * 300);
      }
    };
  }

  private deliver(call: FakeCall, delivery: CallbackDelivery, params: Record<string, string>, token: string, attempt: number) {
    const signedUrl = call.statusCallback!;
    const target = this.options.deliverTo ? new URL(new URL(signedUrl).pathname + new URL(signedUrl).search, this.options.deliverTo).toString() : signedUrl;
    const headers = {
      "Content-Type": "application/x-www-form-urlencoded",
      "User-Agent": "TwilioProxy/1.1",
      "I-Twilio-Idempotency-Token": token,
      "X-Twilio-Signature": twilio.getExpectedTwilioSignature(this.options.authToken, signedUrl, params),
    };
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.callbackTimeoutMs)]);
    const sending = fetch(target, { method: "POST", headers, body: new URLSearchParams(params), signal })
      .then(async (res) => {
        await res.arrayBuffer().catch(() => undefined);
        delivery.tries.push({ at: Date.now(), retry: attempt, status: res.status });
        return res.ok;
      })
      .catch((err: unknown) => {
        delivery.tries.push({ at: Date.now(), retry: attempt, error: errorText(err) });
        return false;
      })
      .then((ok) => {
        if (!ok && !this.closed && attempt < this.options.callbackRetries) {
          this.later(() => this.deliver(call, delivery, params, token, attempt + 1), this.options.callbackRetryMs * 2 ** attempt);
        }
      });
    const tracked = sending.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  // ---------- helpers

  private resource(call: FakeCall) {
    const uri = `/2010-04-01/Accounts/${this.options.accountSid}/Calls/${call.sid}.json`;
    const seconds = call.endedAt && call.answeredAt ? Math.ceil((call.endedAt - call.answeredAt) / 1000) : call.endedAt ? 0 : null;
    return {
      sid: call.sid,
      account_sid: this.options.accountSid,
      parent_call_sid: null,
      to: call.to,
      to_formatted: call.to,
      from: call.from,
      from_formatted: call.from,
      phone_number_sid: null,
      status: call.status,
      date_created: rfc2822(call.createdAt),
      date_updated: rfc2822(call.updatedAt),
      start_time: call.startedAt ? rfc2822(call.startedAt) : null,
      end_time: call.endedAt ? rfc2822(call.endedAt) : null,
      duration: seconds === null ? null : String(seconds),
      price: null,
      price_unit: "USD",
      direction: "outbound-api",
      answered_by: call.answeredBy,
      api_version: "2010-04-01",
      forwarded_from: null,
      group_sid: null,
      caller_name: null,
      queue_time: "0",
      trunk_sid: null,
      uri,
      subresource_uris: { notifications: uri.replace(".json", "/Notifications.json"), recordings: uri.replace(".json", "/Recordings.json") },
    };
  }

  private authorized(req: IncomingMessage) {
    const expected = `Basic ${Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString("base64")}`;
    return req.headers.authorization === expected;
  }

  private takeFault<K>(rules: Rule<K>[]): Rule<K> | null {
    const now = Date.now();
    for (const r of rules) {
      if ((r.count !== undefined && r.count <= 0) || (r.until !== undefined && now >= r.until)) continue;
      if (r.rate !== undefined && this.faultRng() >= r.rate) continue;
      if (r.count !== undefined) r.count--;
      return r;
    }
    return null;
  }

  private refuse(res: ServerResponse, status: 429 | 500 | 503, retryAfterSec?: number) {
    const messages = { 429: [20429, "Too Many Requests"], 500: [20500, "Internal Server Error"], 503: [20503, "Service Unavailable"] } as const;
    const [code, message] = messages[status];
    const headers: Record<string, string> = retryAfterSec !== undefined ? { "Retry-After": String(retryAfterSec) } : {};
    this.reply(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
  }

  /** Never answers: the client's own timeout ends the request (or MAX_HANG_MS does). */
  private hang(res: ServerResponse) {
    const timer = setTimeout(() => res.socket?.destroy(), MAX_HANG_MS);
    res.on("close", () => clearTimeout(timer));
  }

  private reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { "Content-Type": "application/json", "Twilio-Request-Id": `RQ${randomUUID().replaceAll("-", "")}`, ...headers }).end(JSON.stringify(body));
  }

  private at(when: number, fn: () => void) {
    this.later(fn, when - Date.now());
  }

  private later(fn: () => void, ms: number) {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, Math.max(0, ms));
    this.timers.add(t);
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => this.later(resolve, ms));
  }

  private draw(draw: () => number, range: Range) {
    return range.min + draw() * (range.max - range.min);
  }
}

function rule<K>(kind: K, window: FaultWindow): Rule<K> {
  return { kind, ...window, until: window.forMs !== undefined ? Date.now() + window.forMs : undefined };
}

/** Twilio's list filters: To, From, Status, and StartTime / EndTime (a date or a date-time; `StartTime>` means on or after). */
function listFilter(call: FakeCall, q: URLSearchParams) {
  if (q.has("To") && q.get("To") !== call.to) return false;
  if (q.has("From") && q.get("From") !== call.from) return false;
  if (q.has("Status") && q.get("Status") !== call.status) return false;
  for (const [field, value] of [["StartTime", call.startedAt], ["EndTime", call.endedAt]] as const) {
    for (const op of ["", ">", "<"] as const) {
      const raw = q.get(field + op);
      if (raw === null) continue;
      // A call not yet started (or not ended) has no time to compare: Twilio leaves it out.
      if (value === null) return false;
      const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
      const bound = Date.parse(dateOnly ? `${raw}T00:00:00Z` : raw);
      // Twilio's times have whole seconds.
      const t = dateOnly ? Date.parse(new Date(value).toISOString().slice(0, 10) + "T00:00:00Z") : Math.floor(value / 1000) * 1000;
      if (op === "" && t !== bound) return false;
      if (op === ">" && t < bound) return false;
      if (op === "<" && t > bound) return false;
    }
  }
  return true;
}

function notFound(path: string) {
  return { code: 20404, message: `The requested resource ${path} was not found`, more_info: "https://www.twilio.com/docs/errors/20404", status: 404 };
}

/** RFC 2822 the way Twilio writes it: "Tue, 10 Mar 2026 12:00:00 +0000". */
export function rfc2822(ms: number) {
  return new Date(ms).toUTCString().replace("GMT", "+0000");
}

/** A deterministic stream of numbers in [0, 1) from a string seed (mulberry32 over an md5 of the seed). */
function rng(seed: string): () => number {
  let a = createHash("md5").update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], draw: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(draw() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

async function readBody(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function errorText(err: unknown) {
  const e = err as { name?: string; message?: string; cause?: { code?: string } };
  return e?.cause?.code ?? e?.name ?? e?.message ?? String(err);
}

// The Twilio-shaped fake itself, driven by the real twilio SDK: if it does not behave like Twilio where the
// engine's fault tests rely on it, those tests prove nothing.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import twilio from "twilio";
import type { RequestOptions } from "twilio/lib/base/RequestClient";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TwilioFake, type TwilioFakeOptions } from "./twilio-fake";

const ACCOUNT_SID = `AC${"1".repeat(32)}`;
const AUTH_TOKEN = "fake-auth-token-0123456789abcdef";
const PUBLIC_BASE = "https://fairdial.example.test";
const FROM = "+15005550006";
// Short lives so a test watches whole calls.
const QUICK = { queueMs: { min: 5, max: 10 }, dialMs: { min: 5, max: 10 }, ringMs: { min: 40, max: 60 }, talkMs: { min: 80, max: 120 }, apiLatencyMs: { min: 0, max: 2 }, callbackRetryMs: 20 };

interface Received {
  url: string;
  params: Record<string, string>;
  signatureValid: boolean;
  idempotencyToken: string | undefined;
  at: number;
}

let receiver: Server;
let receiverBase: string;
const received: Received[] = [];
/** Status codes the receiver answers with, one per request, before it falls back to 204. */
const receiverScript: number[] = [];
const fakes: TwilioFake[] = [];

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
    // Twilio signs the public URL; the receiver sits behind the "proxy" (deliverTo).
    const signedUrl = `${PUBLIC_BASE}${req.url}`;
    const signatureValid = twilio.validateRequest(AUTH_TOKEN, String(req.headers["x-twilio-signature"] ?? ""), signedUrl, params);
    received.push({ url: signedUrl, params, signatureValid, idempotencyToken: req.headers["i-twilio-idempotency-token"] as string | undefined, at: Date.now() });
    res.writeHead(receiverScript.shift() ?? 204).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  received.length = 0;
  receiverScript.length = 0;
});

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

async function fake(options: Partial<TwilioFakeOptions> = {}) {
  const f = await TwilioFake.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, deliverTo: receiverBase, ...QUICK, ...options });
  fakes.push(f);
  return f;
}

/** The real SDK, pointed at the fake the way fairdial points it (TWILIO_API_BASE). */
function client(f: TwilioFake, options: { timeoutMs?: number; authToken?: string } = {}) {
  class Rebased extends twilio.RequestClient {
    override request<T>(opts: RequestOptions<T>) {
      const u = new URL(opts.uri);
      return super.request({ ...opts, uri: `${f.url}${u.pathname}${u.search}` });
    }
  }
  return twilio(ACCOUNT_SID, options.authToken ?? AUTH_TOKEN, { httpClient: new Rebased({ timeout: options.timeoutMs ?? 5_000, autoRetry: false }) });
}

function createCall(c: twilio.Twilio, to: string, attemptId = `att-${to}`) {
  return c.calls.create({
    to,
    from: FROM,
    url: `${PUBLIC_BASE}/api/telephony/twilio/twiml?attemptId=${attemptId}`,
    statusCallback: `${PUBLIC_BASE}/api/telephony/twilio/status?attemptId=${attemptId}`,
    statusCallbackMethod: "POST",
    statusCallbackEvent: ["initiated", "ringing", "answered", "completed"],
    machineDetection: "Enable",
  });
}

async function until<T>(what: string, fn: () => T | null | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const callbacksFor = (sid: string) => received.filter((r) => r.params.CallSid === sid);

describe("the Calls REST API", () => {
  it("creates, fetches and lists calls the way the SDK expects", async () => {
    const f = await fake({ ringMs: { min: 5_000, max: 5_000 } });
    const c = client(f);
    const call = await createCall(c, "+12125550100", "a-1");
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(call).toMatchObject({ status: "queued", to: "+12125550100", from: FROM, direction: "outbound-api", startTime: null, endTime: null, duration: null, answeredBy: null });
    expect(call.dateCreated).toBeInstanceOf(Date);
    expect(f.createdCalls()).toEqual([expect.objectContaining({ sid: call.sid, attemptId: "a-1", response: "ok" })]);

    const second = await createCall(c, "+12125550100", "a-2");
    await createCall(c, "+12125550199", "b-1");
    expect((await c.calls(call.sid).fetch()).sid).toBe(call.sid);
    const listed = await c.calls.list({ to: "+12125550100", from: FROM, pageSize: 20 });
    expect(listed.map((x) => x.sid)).toEqual([second.sid, call.sid]); // newest first
    // Paging: the SDK follows next_page_uri.
    expect((await c.calls.list({ to: "+12125550100", pageSize: 1 })).map((x) => x.sid)).toEqual([second.sid, call.sid]);
  });

  it("answers like Twilio when the credentials, the call or the request are wrong", async () => {
    const f = await fake();
    await expect(createCall(client(f, { authToken: "wrong" }), "+12125550100")).rejects.toMatchObject({ status: 401, code: 20003 });
    await expect(client(f).calls(`CA${"0".repeat(32)}`).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(createCall(client(f), "555-0100")).rejects.toMatchObject({ status: 400, code: 21211 });
    expect(f.createdCalls()).toHaveLength(0);
  });

  it("filters the list by start time: a call not started yet has none", async () => {
    const f = await fake({ queueMs: { min: 300, max: 300 } });
    const c = client(f);
    const before = new Date(Date.now() - 2_000);
    const call = await createCall(c, "+12125550100");
    expect(await c.calls.list({ to: "+12125550100", startTimeAfter: before })).toEqual([]);
    await until("call started", () => f.createdCalls()[0]!.startedAt);
    expect((await c.calls.list({ to: "+12125550100", startTimeAfter: before })).map((x) => x.sid)).toEqual([call.sid]);
    expect(await c.calls.list({ to: "+12125550100", startTimeAfter: new Date(Date.now() + 5_000) })).toEqual([]);
  });

  it("hides a new call from fetch and list until the lookup lag has passed", async () => {
    const f = await fake({ lookupLagMs: 300 });
    const c = client(f);
    const call = await createCall(c, "+12125550100");
    await expect(c.calls(call.sid).fetch()).rejects.toMatchObject({ status: 404 });
    expect(await c.calls.list({ to: "+12125550100" })).toEqual([]);
    await new Promise((r) => setTimeout(r, 350));
    expect((await c.calls(call.sid).fetch()).sid).toBe(call.sid);
  });

  it("hangs up a live call through the API", async () => {
    const f = await fake({ ringMs: { min: 5_000, max: 5_000 } });
    const c = client(f);
    const call = await createCall(c, "+12125550100");
    await until("ringing", () => f.createdCalls()[0]!.status === "ringing");
    expect((await c.calls(call.sid).update({ status: "canceled" })).status).toBe("canceled");
    await until("final callback", () => callbacksFor(call.sid).find((r) => r.params.CallStatus === "canceled"));
    expect(f.liveCalls()).toEqual([]);
  });
});

describe("a call's life and its status callbacks", () => {
  it("goes through its states and reports each subscribed event, signed, in sequence", async () => {
    const f = await fake({ outcomes: { completed: 1, "no-answer": 0, busy: 0, failed: 0 }, machineRate: 0 });
    const c = client(f);
    const call = await createCall(c, "+12125550100", "att-7");
    const seen = new Set<string>();
    await until("completed", () => {
      seen.add((f.createdCalls()[0]!).status);
      return callbacksFor(call.sid).some((r) => r.params.CallStatus === "completed");
    });
    expect([...seen]).toEqual(expect.arrayContaining(["ringing", "in-progress", "completed"]));
    const cbs = callbacksFor(call.sid);
    expect(cbs.map((r) => r.params.CallStatus)).toEqual(["initiated", "ringing", "in-progress", "completed"]);
    expect(cbs.map((r) => r.params.SequenceNumber)).toEqual(["0", "1", "2", "3"]);
    expect(cbs.every((r) => r.signatureValid && r.url === `${PUBLIC_BASE}/api/telephony/twilio/status?attemptId=att-7`)).toBe(true);
    const done = cbs.at(-1)!.params;
    expect(done).toMatchObject({ AccountSid: ACCOUNT_SID, To: "+12125550100", From: FROM, AnsweredBy: "human", Direction: "outbound-api" });
    expect(Number(done.CallDuration)).toBeGreaterThanOrEqual(1);
    expect(new Date(done.Timestamp!).getTime()).not.toBeNaN();

    const fetched = await c.calls(call.sid).fetch();
    expect(fetched).toMatchObject({ status: "completed", answeredBy: "human", duration: done.CallDuration });
    expect(fetched.endTime!.getTime()).toBeGreaterThanOrEqual(fetched.startTime!.getTime());
  });

  it("draws outcomes from the seed: the same numbers get the same lives whatever the order", async () => {
    const numbers = Array.from({ length: 40 }, (_, i) => `+1212555${String(1000 + i)}`);
    const outcomes = { completed: 0.4, "no-answer": 0.3, busy: 0.2, failed: 0.1 };
    async function run(order: string[], seed: number) {
      const f = await fake({ seed, outcomes, machineRate: 0.5 });
      const c = client(f);
      await Promise.all(order.map((n) => createCall(c, n)));
      await until("all calls ended", () => f.settled(), 15_000);
      return Object.fromEntries(f.createdCalls().map((x) => [x.to, `${x.status}/${x.answeredBy}`]));
    }
    const a = await run(numbers, 7);
    const b = await run([...numbers].reverse(), 7);
    const other = await run(numbers, 8);
    expect(b).toEqual(a);
    expect(other).not.toEqual(a);
    expect(new Set(Object.values(a)).size).toBeGreaterThan(3); // a real mix, not one outcome
  });

  it("retries a callback the app answered with an error, with the same idempotency token", async () => {
    // The failed event comes long after initiated, so the script's errors all land on initiated's tries.
    const f = await fake({ outcomes: { completed: 0, "no-answer": 0, busy: 0, failed: 1 }, dialMs: { min: 500, max: 500 } });
    receiverScript.push(500, 503);
    const call = await createCall(client(f), "+12125550100");
    await until("all delivered", () => f.settled());
    const tries = f.createdCalls()[0]!.callbacks;
    // initiated was answered 500, then 503, then delivered; failed went through first time.
    expect(tries.map((d) => d.tries.map((t) => t.status))).toEqual([[500, 503, 204], [204]]);
    const initiated = callbacksFor(call.sid).filter((r) => r.params.CallStatus === "initiated");
    expect(initiated).toHaveLength(3);
    expect(new Set(initiated.map((r) => r.idempotencyToken)).size).toBe(1);
  });
});

describe("faults", () => {
  it("refusals (429 with Retry-After, 5xx) create nothing, for the next N requests", async () => {
    const f = await fake();
    const c = client(f);
    f.failCreates(429, { count: 2, retryAfterSec: 3 });
    f.failCreates(503, { count: 1 });
    await expect(createCall(c, "+12125550100")).rejects.toMatchObject({ status: 429, code: 20429 });
    await expect(createCall(c, "+12125550100")).rejects.toMatchObject({ status: 429 });
    await expect(createCall(c, "+12125550100")).rejects.toMatchObject({ status: 503 });
    expect(f.createdCalls()).toHaveLength(0);
    await createCall(c, "+12125550100");
    expect(f.createdCalls()).toHaveLength(1);
    expect(f.requests().filter((r) => r.kind === "create").map((r) => r.status)).toEqual([429, 429, 503, 201]);
  });

  it("a create that times out, resets or errors after creating leaves a live call that calls back", async () => {
    const f = await fake();
    const c = client(f, { timeoutMs: 300 });
    f.failCreates("hang", { count: 1 });
    f.failCreates("reset", { count: 1 });
    f.failCreates("error-after-create", { count: 1 });
    const started = Date.now();
    await expect(createCall(c, "+12125550101", "h")).rejects.toThrow(/timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await expect(createCall(c, "+12125550102", "r")).rejects.toMatchObject({ code: "ECONNRESET" });
    await expect(createCall(c, "+12125550103", "e")).rejects.toMatchObject({ status: 500 });
    expect(f.createdCalls().map((x) => [x.attemptId, x.response])).toEqual([["h", "hang"], ["r", "reset"], ["e", "error-after-create"]]);
    await until("all three final callbacks", () => ["h", "r", "e"].every((id) => received.some((r) => r.url.endsWith(`attemptId=${id}`) && ["completed", "busy", "no-answer", "failed"].includes(r.params.CallStatus!))));
  });

  it("lookups fail for a duration, then answer again; a 404 fault hides a known call", async () => {
    const f = await fake({ ringMs: { min: 5_000, max: 5_000 } });
    const c = client(f);
    const call = await createCall(c, "+12125550100");
    f.failLookups(429, { forMs: 300, retryAfterSec: 1 });
    await expect(c.calls(call.sid).fetch()).rejects.toMatchObject({ status: 429 });
    await expect(c.calls.list({ to: "+12125550100" })).rejects.toMatchObject({ status: 429 });
    await new Promise((r) => setTimeout(r, 320));
    expect((await c.calls(call.sid).fetch()).sid).toBe(call.sid);
    f.failLookups(404, { count: 1 });
    await expect(c.calls(call.sid).fetch()).rejects.toMatchObject({ status: 404 });
    expect((await c.calls(call.sid).fetch()).sid).toBe(call.sid);
  });

  it("callbacks can be dropped, duplicated, delayed and reordered", async () => {
    const f = await fake({ outcomes: { completed: 1, "no-answer": 0, busy: 0, failed: 0 } });
    const c = client(f);
    // Faults apply to the callbacks that fire while they are set (whether a call is reordered: when it is created).
    const settled = () => until("all ended and delivered", () => f.settled(), 10_000);
    f.callbackFaults = { dropRate: 1 };
    const dropped = await createCall(c, "+12125550100");
    await settled();
    f.callbackFaults = { duplicateRate: 1 };
    const doubled = await createCall(c, "+12125550101");
    await settled();
    f.callbackFaults = { reorderRate: 1, delayMs: { min: 0, max: 20 } };
    const reordered = await createCall(c, "+12125550102");
    await settled();

    expect(callbacksFor(dropped.sid)).toEqual([]);
    expect(f.callsTo("+12125550100")[0]!.callbacks.every((d) => d.dropped)).toBe(true);
    const twice = callbacksFor(doubled.sid);
    expect(twice).toHaveLength(8);
    expect(new Set(twice.map((r) => r.params.SequenceNumber)).size).toBe(4);
    const order = callbacksFor(reordered.sid).map((r) => r.params.CallStatus);
    expect(order[0]).toBe("completed"); // the final status arrives before ringing etc.
    expect([...order].sort()).toEqual(["completed", "in-progress", "initiated", "ringing"]);
  });
});

describe("ground truth", () => {
  it("measures live calls and creates per window from its own log", async () => {
    const f = await fake({ ringMs: { min: 400, max: 400 }, talkMs: { min: 400, max: 400 }, outcomes: { completed: 1, "no-answer": 0, busy: 0, failed: 0 } });
    const c = client(f);
    const tenantA = ["+12125550100", "+12125550101", "+12125550102"];
    await Promise.all(tenantA.map((n) => createCall(c, n)));
    await createCall(c, "+12125550200");
    expect(f.liveCalls()).toHaveLength(4);
    expect(f.maxLive(tenantA)).toBe(3);
    expect(f.maxCallsPerWindow(tenantA, 1000)).toBe(3);
    expect(f.maxCallsPerWindow(["+12125550200"], 1000)).toBe(1);
    await until("all ended", () => f.settled(), 5_000);
    expect(f.liveCalls()).toEqual([]);
    expect(f.maxLive(tenantA)).toBe(3); // still known after the calls ended
  });
});

async function readBody(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

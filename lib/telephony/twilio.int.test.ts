import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError, type DialRequest, type LookupQuery } from "./provider";
import { TwilioProvider, verifyTwilioSignature, type TwilioConfig } from "./twilio";

const ACCOUNT_SID = `AC${"0".repeat(32)}`;
const AUTH_TOKEN = "test-auth-token-0123456789abcdef";
const PUBLIC_BASE_URL = "https://fairdial.example.com";
const FROM = "+15005550006";
const TO = "+15551230000";
const CALLS_PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`;

// A fresh fake per test: a late answer of one test's hung request cannot land in the next test's state.
let fake: FakeTwilio;

beforeEach(async () => {
  fake = await startFakeTwilio();
});

afterEach(async () => {
  await fake.close();
});

describe("TwilioProvider.placeCall", () => {
  it("sends one create with our number, TwiML, status callback and machine detection", async () => {
    const req = dial({ twimlUrl: "https://twiml.example.com/campaign-1.xml" });
    const result = await provider().placeCall(req);

    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe(CALLS_PATH);
    expect(sent.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")}`);
    expect(sent.form.get("To")).toBe(req.to);
    expect(sent.form.get("From")).toBe(FROM);
    expect(sent.form.get("Url")).toBe(`https://twiml.example.com/campaign-1.xml?attemptId=${req.attemptId}`);
    expect(sent.form.get("StatusCallback")).toBe(`${PUBLIC_BASE_URL}/api/telephony/twilio/status?attemptId=${req.attemptId}`);
    expect(sent.form.getAll("StatusCallbackEvent")).toEqual(["initiated", "ringing", "answered", "completed"]);
    expect(sent.form.get("MachineDetection")).toBe("Enable");
    expect(result).toMatchObject({ kind: "pending", providerCallId: [...fake.calls.keys()][0] });
  });

  it("falls back to this app's TwiML route when the campaign has no TwiML URL", async () => {
    const req = dial();
    await provider().placeCall(req);
    expect(fake.requests[0].form.get("Url")).toBe(`${PUBLIC_BASE_URL}/api/telephony/twilio/twiml?attemptId=${req.attemptId}`);
  });

  it("turns 429 into a retryable rate-limit error carrying Retry-After, without asking again", async () => {
    fake.script.push({ status: 429, body: { code: 20429, message: "Too Many Requests", status: 429 }, headers: { "Retry-After": "2" } });
    const error = await provider().placeCall(dial()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "rate-limited", retryAfterMs: 2000, retryable: true, inDoubt: false });
    expect(fake.requests).toHaveLength(1);
    expect(fake.calls.size).toBe(0);
  });

  it("turns 4xx into a final client error", async () => {
    fake.script.push({ status: 400, body: { code: 21211, message: "Invalid 'To' Phone Number", status: 400 } });
    const error = await provider().placeCall(dial()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "client", retryable: false, inDoubt: false, message: expect.stringContaining("21211") });
    expect(fake.requests).toHaveLength(1);
  });

  it("treats 5xx as in doubt: Twilio may have created the call, and a lookup finds it", async () => {
    fake.script.push({ status: 500, body: { code: 20500, message: "Internal Server Error", status: 500 }, create: true });
    const twilio = provider();
    const req = dial();
    const requestedAt = new Date();

    const error = await twilio.placeCall(req).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "in-doubt", retryable: false, inDoubt: true, message: expect.stringContaining("may have been placed") });
    expect(fake.requests).toHaveLength(1);

    const [sid] = fake.calls.keys();
    expect(await twilio.lookup(query(req, { requestedAt }))).toMatchObject({ kind: "pending", providerCallId: sid });
  });

  it("treats a create Twilio never answered as in doubt, and a lookup without sid finds that very call", async () => {
    fake.script.push({ hang: true });
    const twilio = provider({ requestTimeoutMs: 300 });
    const req = dial();
    const requestedAt = new Date();

    const error = await twilio.placeCall(req).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "in-doubt", retryable: false, message: "Twilio did not answer within 300 ms; the call may have been placed" });
    expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(1);

    const [sid] = fake.calls.keys();
    const found = await twilio.lookup(query(req, { requestedAt }));
    expect(found).toMatchObject({ kind: "pending", providerCallId: sid });
    const listed = fake.requests.at(-1)!;
    expect(listed).toMatchObject({ method: "GET", path: CALLS_PATH });
    expect(Object.fromEntries(listed.query)).toMatchObject({ To: req.to, From: FROM });
  });

  it("treats a connection reset after sending as in doubt", async () => {
    fake.script.push({ reset: true });
    const error = await provider().placeCall(dial()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "in-doubt", retryable: false, message: expect.stringContaining("may have been placed") });
    expect(fake.calls.size).toBe(1);
  });

  it("treats a refused connection as a retryable server error: nothing was sent", async () => {
    const error = await provider({ apiBase: await closedPortUrl() })
      .placeCall(dial())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "server", retryable: true, inDoubt: false, message: expect.stringContaining("ECONNREFUSED") });
  });
});

describe("TwilioProvider.lookup with the call's sid", () => {
  it("returns the call as Twilio reports it, with Twilio's own timestamps", async () => {
    const twilio = provider();
    const req = dial();
    const placed = await twilio.placeCall(req);
    expect(await twilio.lookup(query(req, { providerCallId: placed.providerCallId }))).toMatchObject({ kind: "pending", providerCallId: placed.providerCallId });

    Object.assign(fake.calls.get(placed.providerCallId)!, {
      status: "completed",
      answered_by: "machine_end_beep",
      start_time: "Tue, 10 Mar 2026 12:00:00 +0000",
      end_time: "Tue, 10 Mar 2026 12:00:30 +0000",
      duration: "20",
    });
    expect(await twilio.lookup(query(req, { providerCallId: placed.providerCallId }))).toEqual({
      kind: "finished",
      providerCallId: placed.providerCallId,
      outcome: "VOICEMAIL",
      dialedAt: new Date("2026-03-10T12:00:00Z"),
      answeredAt: new Date("2026-03-10T12:00:10Z"),
      endedAt: new Date("2026-03-10T12:00:30Z"),
      durationSec: 20,
    });
    expect(fake.requests.at(-1)).toMatchObject({ method: "GET", path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${placed.providerCallId}.json` });
  });

  it("throws rather than answering not-found when Twilio does not know a sid it gave us", async () => {
    const error = await provider()
      .lookup(query(dial(), { providerCallId: `CA${"f".repeat(32)}`, requestedAt: new Date(Date.now() - 3_600_000) }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "in-doubt" });
  });

  it("throws on 429, 5xx and timeouts so the engine asks again later", async () => {
    const twilio = provider({ requestTimeoutMs: 300 });
    const req = dial();
    const placed = await twilio.placeCall(req);
    const ask = () => twilio.lookup(query(req, { providerCallId: placed.providerCallId })).catch((e: unknown) => e);

    fake.script.push({ status: 429, body: { code: 20429, message: "Too Many Requests", status: 429 }, headers: { "Retry-After": "3" } });
    expect(await ask()).toMatchObject({ kind: "rate-limited", retryAfterMs: 3000, retryable: true });
    fake.script.push({ status: 503, body: { code: 20503, message: "Service Unavailable", status: 503 } });
    expect(await ask()).toMatchObject({ kind: "server", retryable: true });
    fake.script.push({ hang: true });
    expect(await ask()).toMatchObject({ kind: "server", retryable: true, message: expect.stringContaining("did not answer within 300 ms") });

    expect(await ask()).toMatchObject({ kind: "pending", providerCallId: placed.providerCallId });
  });
});

describe("TwilioProvider.lookup without a sid", () => {
  it("answers not-found without asking Twilio when the request was never sent", async () => {
    expect(await provider().lookup(query(dial(), { requestedAt: null }))).toEqual({ kind: "not-found" });
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses to say not-found until a call the request created would be listed (request timeout + 30 s)", async () => {
    const twilio = provider({ requestTimeoutMs: 15_000 });
    const req = dial();

    const early = await twilio.lookup(query(req, { requestedAt: new Date(Date.now() - 40_000) })).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(ProviderError);
    expect(early).toMatchObject({ kind: "in-doubt", message: expect.stringContaining("too early") });

    expect(await twilio.lookup(query(req, { requestedAt: new Date(Date.now() - 46_000) }))).toEqual({ kind: "not-found" });
  });

  it("honours a configured settle time", async () => {
    const twilio = provider({ settleMs: 1_000 });
    const req = dial();
    await expect(twilio.lookup(query(req, { requestedAt: new Date() }))).rejects.toMatchObject({ kind: "in-doubt" });
    expect(await twilio.lookup(query(req, { requestedAt: new Date(Date.now() - 1_500) }))).toEqual({ kind: "not-found" });
  });

  it("takes the earliest call to that number from ours since the request, ignoring older calls and other numbers", async () => {
    // Whole seconds, as Twilio's timestamps have.
    const requestedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const at = (offsetSec: number) => new Date(requestedAt.getTime() + offsetSec * 1000);
    fake.seed({ to: TO, from: FROM, created: at(-120), status: "completed" });
    fake.seed({ to: "+15559990000", from: FROM, created: at(1) });
    fake.seed({ to: TO, from: "+15005550001", created: at(1) });
    const ours = fake.seed({
      to: TO,
      from: FROM,
      created: at(2),
      status: "busy",
      start_time: twilioDate(at(2)),
      end_time: twilioDate(at(20)),
    });
    fake.seed({ to: TO, from: FROM, created: at(40) });

    expect(await provider().lookup(query(dial(), { requestedAt }))).toEqual({
      kind: "finished",
      providerCallId: ours,
      outcome: "BUSY",
      dialedAt: at(2),
      answeredAt: null,
      endedAt: at(20),
      durationSec: 0,
    });
  });

  it("accepts Twilio's clock running a few seconds behind ours", async () => {
    const requestedAt = new Date(Date.now() - 60_000);
    const ours = fake.seed({ to: TO, from: FROM, created: new Date(requestedAt.getTime() - 3_000) });
    expect(await provider().lookup(query(dial(), { requestedAt }))).toMatchObject({ kind: "pending", providerCallId: ours });
  });

  it("finds the call when more than a page of later calls to the number followed it", async () => {
    const requestedAt = new Date(Date.now() - 3_600_000);
    const ours = fake.seed({ to: TO, from: FROM, created: new Date(requestedAt.getTime() + 1_000) });
    for (let i = 0; i < 60; i++) fake.seed({ to: TO, from: FROM, created: new Date(requestedAt.getTime() + 60_000 + i * 1_000) });

    expect(await provider().lookup(query(dial(), { requestedAt }))).toMatchObject({ kind: "pending", providerCallId: ours });
    expect(fake.requests.filter((r) => r.path === CALLS_PATH)).toHaveLength(2);
  });

  it("throws when the list answers 429 or 5xx, even long after the request", async () => {
    const twilio = provider();
    const q = query(dial(), { requestedAt: new Date(Date.now() - 3_600_000) });

    fake.script.push({ status: 429, body: { code: 20429, message: "Too Many Requests", status: 429 }, headers: { "Retry-After": "1" } });
    await expect(twilio.lookup(q)).rejects.toMatchObject({ kind: "rate-limited", retryAfterMs: 1000 });
    fake.script.push({ status: 500, body: { code: 20500, message: "Internal Server Error", status: 500 } });
    await expect(twilio.lookup(q)).rejects.toMatchObject({ kind: "server", retryable: true });
  });
});

describe("status callback signature", () => {
  // A webhook endpoint on a real port: the port is part of what Twilio signs.
  let webhook: Server;
  let webhookBase: string;

  beforeAll(async () => {
    webhook = createServer(async (req, res) => {
      const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
      const ok = verifyTwilioSignature(AUTH_TOKEN, `${webhookBase}${req.url}`, params, req.headers["x-twilio-signature"] as string | undefined);
      res.writeHead(ok ? 204 : 403).end();
    });
    webhookBase = await listen(webhook);
  });

  afterAll(async () => {
    webhook.closeAllConnections();
    await new Promise((resolve) => webhook.close(resolve));
  });

  it("accepts a callback signed like Twilio signs it and rejects a tampered one", async () => {
    const url = `${webhookBase}/api/telephony/twilio/status?attemptId=a-1`;
    const params = { CallSid: `CA${"1".repeat(32)}`, CallStatus: "completed", AnsweredBy: "human", CallDuration: "42" };
    const signature = sign(url, params);

    expect((await postForm(url, params, signature)).status).toBe(204);
    expect((await postForm(url, { ...params, CallStatus: "busy" }, signature)).status).toBe(403);
    expect((await postForm(url.replace("a-1", "a-2"), params, signature)).status).toBe(403);
    expect((await postForm(url, params, undefined)).status).toBe(403);
  });
});

function provider(overrides: Partial<TwilioConfig> = {}) {
  return new TwilioProvider({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, fromNumber: FROM, publicBaseUrl: PUBLIC_BASE_URL, apiBase: fake.apiBase, ...overrides });
}

function dial(extra: Partial<DialRequest> = {}): DialRequest {
  return { attemptId: randomUUID(), tenantId: "tenant-1", campaignId: "campaign-1", to: TO, variables: {}, ...extra };
}

function query(req: DialRequest, extra: Partial<LookupQuery> = {}): LookupQuery {
  return { attemptId: req.attemptId, providerCallId: null, to: req.to, requestedAt: new Date(), ...extra };
}

interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization?: string;
  form: URLSearchParams;
}

/** How the fake answers the next request; by default it answers like Twilio. */
interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Do what the request asks (create the call), then never answer. */
  hang?: boolean;
  /** Do what the request asks, then drop the connection. */
  reset?: boolean;
  /** Create the call even though the answer is an error. */
  create?: boolean;
}

type FakeCall = Record<string, unknown> & { sid: string; to: string; from: string; date_created: string };

interface FakeTwilio {
  apiBase: string;
  requests: Recorded[];
  script: Reply[];
  calls: Map<string, FakeCall>;
  /** A call Twilio already has; returns its sid. */
  seed(call: { to: string; from: string; created: Date; status?: string } & Record<string, unknown>): string;
  close(): Promise<void>;
}

// A local stand-in for Twilio's Calls API (create, fetch by sid, list newest first with paging): records what the
// SDK sends, answers from a script. Like Twilio, it does the work before it answers, so a call can exist although
// its answer was late, lost or an error.
async function startFakeTwilio(): Promise<FakeTwilio> {
  const requests: Recorded[] = [];
  const script: Reply[] = [];
  const calls = new Map<string, FakeCall>();

  const addCall = (fields: Partial<FakeCall> & { to: string; from: string; date_created: string }) => {
    const sid = `CA${randomBytes(16).toString("hex")}`;
    calls.set(sid, { sid, account_sid: ACCOUNT_SID, status: "queued", start_time: null, end_time: null, duration: null, answered_by: null, ...fields });
    return sid;
  };

  const route = (method: string, url: URL, form: URLSearchParams): { status: number; body: unknown } => {
    if (method === "POST" && url.pathname === CALLS_PATH) {
      const sid = addCall({ to: form.get("To")!, from: form.get("From")!, date_created: twilioDate(new Date()) });
      return { status: 201, body: calls.get(sid) };
    }
    if (method === "GET" && url.pathname === CALLS_PATH) return { status: 200, body: listPage(url) };
    const sid = url.pathname.match(/\/Calls\/(CA[0-9a-f]+)\.json$/)?.[1];
    const call = sid ? calls.get(sid) : undefined;
    return call ? { status: 200, body: call } : { status: 404, body: { code: 20404, message: "The requested resource was not found", status: 404 } };
  };

  const listPage = (url: URL) => {
    const to = url.searchParams.get("To");
    const from = url.searchParams.get("From");
    const size = Number(url.searchParams.get("PageSize") ?? 50);
    const page = Number(url.searchParams.get("Page") ?? 0);
    const matching = [...calls.values()]
      .filter((c) => (!to || c.to === to) && (!from || c.from === from))
      .sort((a, b) => Date.parse(b.date_created) - Date.parse(a.date_created));
    const next = new URLSearchParams(url.searchParams);
    next.set("Page", String(page + 1));
    const more = (page + 1) * size < matching.length;
    return { calls: matching.slice(page * size, (page + 1) * size), page, page_size: size, uri: `${url.pathname}${url.search}`, next_page_uri: more ? `${url.pathname}?${next}` : null };
  };

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, "http://fake");
    // Each request keeps its own parsed data: nothing here outlives the request but what it records.
    const form = new URLSearchParams(await readBody(req));
    requests.push({ method: req.method!, path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, form });
    const reply = script.shift() ?? {};
    const natural = reply.status === undefined || reply.create ? route(req.method!, url, form) : null;
    if (reply.hang) return;
    if (reply.reset) return void req.socket.destroy();
    const status = reply.status ?? natural!.status;
    const body = reply.body ?? (reply.status === undefined ? natural!.body : { status });
    if (!res.writable) return;
    res.writeHead(status, { "Content-Type": "application/json", ...reply.headers }).end(JSON.stringify(body));
  };

  const server = createServer((req, res) => void answer(req, res));
  const apiBase = await listen(server);
  return {
    apiBase,
    requests,
    script,
    calls,
    seed: ({ created, ...fields }) => addCall({ ...fields, date_created: twilioDate(created) }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// Twilio's date format; the SDK only parses this exact shape.
function twilioDate(d: Date) {
  return d.toUTCString().replace("GMT", "+0000");
}

async function closedPortUrl() {
  const server = createServer();
  const url = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return url;
}

// Twilio's documented scheme, written out independently of the SDK: HMAC-SHA1 over the URL followed by every
// POST field name and value, sorted by name, base64-encoded.
function sign(url: string, params: Record<string, string>) {
  const data = Object.keys(params).sort().reduce((acc, k) => acc + k + params[k], url);
  return createHmac("sha1", AUTH_TOKEN).update(data).digest("base64");
}

function postForm(url: string, params: Record<string, string>, signature: string | undefined) {
  return fetch(url, { method: "POST", body: new URLSearchParams(params), headers: signature ? { "X-Twilio-Signature": signature } : {} });
}

async function readBody(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function listen(server: Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

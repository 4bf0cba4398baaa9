import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ProviderError, type DialRequest } from "./provider";
import { TwilioProvider, verifyTwilioSignature, type TwilioConfig } from "./twilio";

const ACCOUNT_SID = `AC${"0".repeat(32)}`;
const AUTH_TOKEN = "test-auth-token-0123456789abcdef";
const PUBLIC_BASE_URL = "https://fairdial.example.com";
const CALLS_PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`;

interface Recorded {
  method: string;
  path: string;
  authorization?: string;
  form: URLSearchParams;
}
interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

// A local stand-in for Twilio's REST API: records what the SDK sends, answers from a script.
const requests: Recorded[] = [];
const script: Reply[] = [];
const calls = new Map<string, Record<string, unknown>>();
let fakeTwilio: Server;
let apiBase: string;
let redis: Redis;
const prefix = `test:${randomUUID()}`;

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL!);
  fakeTwilio = createServer((req, res) => void answerAsTwilio(req, res));
  apiBase = await listen(fakeTwilio);
});

afterEach(() => {
  requests.length = 0;
  script.length = 0;
  vi.useRealTimers();
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  fakeTwilio.closeAllConnections();
  await new Promise((resolve) => fakeTwilio.close(resolve));
});

describe("TwilioProvider.placeCall", () => {
  it("asks Twilio for the call with our number, TwiML, status callback and machine detection", async () => {
    const req = dial({ twimlUrl: "https://twiml.example.com/campaign-1.xml" });
    const result = await provider().placeCall(req);

    expect(requests).toHaveLength(1);
    const [sent] = requests;
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe(CALLS_PATH);
    expect(sent.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")}`);
    expect(sent.form.get("To")).toBe(req.to);
    expect(sent.form.get("From")).toBe("+15005550006");
    expect(sent.form.get("Url")).toBe(`https://twiml.example.com/campaign-1.xml?attemptId=${req.attemptId}`);
    expect(sent.form.get("StatusCallback")).toBe(`${PUBLIC_BASE_URL}/api/telephony/twilio/status?attemptId=${req.attemptId}`);
    expect(sent.form.getAll("StatusCallbackEvent")).toEqual(["initiated", "ringing", "answered", "completed"]);
    expect(sent.form.get("MachineDetection")).toBe("Enable");
    expect(result).toMatchObject({ kind: "pending", providerCallId: expect.stringMatching(/^CA[0-9a-f]{32}$/) });
  });

  it("falls back to this app's TwiML route when the campaign has no TwiML URL", async () => {
    const req = dial();
    await provider().placeCall(req);
    expect(requests[0].form.get("Url")).toBe(`${PUBLIC_BASE_URL}/api/telephony/twilio/twiml?attemptId=${req.attemptId}`);
  });

  it("does not ask Twilio again when the same attempt is placed twice", async () => {
    const req = dial();
    const first = await provider().placeCall(req);
    const again = await provider().placeCall(req);
    expect(again).toEqual(first);
    expect(requests).toHaveLength(1);
  });

  it("sends one request when two callers race on the same attempt", async () => {
    script.push({ status: 201, delayMs: 200 });
    const req = dial();
    const [a, b] = await Promise.allSettled([provider().placeCall(req), provider().placeCall(req)]);

    expect(requests).toHaveLength(1);
    const loser = [a, b].find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toMatchObject({ kind: "server", retryable: true });
    // Once the winner has its CallSid, the loser's retry gets the same call.
    const winner = [a, b].find((r) => r.status === "fulfilled") as PromiseFulfilledResult<unknown>;
    expect(await provider().placeCall(req)).toEqual(winner.value);
    expect(requests).toHaveLength(1);
  });

  it("turns 429 into a retryable rate-limit error carrying Retry-After", async () => {
    script.push({ status: 429, body: { code: 20429, message: "Too Many Requests", status: 429 }, headers: { "Retry-After": "2" } });
    const error = await provider().placeCall(dial()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "rate-limited", retryAfterMs: 2000, retryable: true });
  });

  it("turns 5xx into a retryable server error, and a retry of the attempt really dials", async () => {
    script.push({ status: 500, body: { code: 20500, message: "Internal Server Error", status: 500 } });
    const req = dial();
    const error = await provider().placeCall(req).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "server", retryable: true });

    const retried = await provider().placeCall(req);
    expect(retried.kind).toBe("pending");
    expect(requests).toHaveLength(2);
  });

  it("turns 4xx into a final client error", async () => {
    script.push({ status: 400, body: { code: 21211, message: "Invalid 'To' Phone Number", status: 400 } });
    const error = await provider().placeCall(dial()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "client", retryable: false, message: expect.stringContaining("21211") });
  });

  it("never dials an attempt again after Twilio went silent mid-request", async () => {
    script.push({ status: 201, delayMs: 1_000 });
    const twilio = provider({ requestTimeoutMs: 200 });
    const req = dial();

    const timedOut = await twilio.placeCall(req).catch((e: unknown) => e);
    expect(timedOut).toMatchObject({ kind: "server", message: expect.stringContaining("may have been placed") });
    expect(await twilio.placeCall(req).catch((e: unknown) => e)).toMatchObject({ kind: "server" });

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 60_000 });
    expect(await twilio.placeCall(req).catch((e: unknown) => e)).toMatchObject({ kind: "client", retryable: false });
    expect(requests).toHaveLength(1);
  });
});

describe("TwilioProvider.lookup", () => {
  it("knows nothing about an attempt it never dialed", async () => {
    expect(await provider().lookup(randomUUID())).toBeNull();
  });

  it("fetches the call and maps a finished one, answering machine included", async () => {
    const twilio = provider();
    const req = dial();
    const placed = await twilio.placeCall(req);
    expect(await twilio.lookup(req.attemptId)).toMatchObject({ kind: "pending", providerCallId: placed.providerCallId });

    Object.assign(calls.get(placed.providerCallId)!, {
      status: "completed",
      answered_by: "machine_end_beep",
      start_time: "Tue, 10 Mar 2026 12:00:00 +0000",
      end_time: "Tue, 10 Mar 2026 12:00:30 +0000",
      duration: "20",
    });
    expect(await twilio.lookup(req.attemptId)).toEqual({
      kind: "finished",
      providerCallId: placed.providerCallId,
      outcome: "VOICEMAIL",
      dialedAt: new Date("2026-03-10T12:00:00Z"),
      answeredAt: new Date("2026-03-10T12:00:10Z"),
      endedAt: new Date("2026-03-10T12:00:30Z"),
      durationSec: 20,
    });
    expect(requests.at(-1)).toMatchObject({ method: "GET", path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls/${placed.providerCallId}.json` });
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
  return new TwilioProvider(redis, prefix, { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, fromNumber: "+15005550006", publicBaseUrl: PUBLIC_BASE_URL, apiBase, ...overrides });
}

function dial(extra: Partial<DialRequest> = {}): DialRequest {
  return { attemptId: randomUUID(), tenantId: "tenant-1", campaignId: "campaign-1", to: "+15551230000", variables: {}, ...extra };
}

async function answerAsTwilio(req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url!, "http://fake").pathname;
  // Keep this request's own form: a late request of an earlier test may land after `requests` was reset.
  const form = new URLSearchParams(await readBody(req));
  requests.push({ method: req.method!, path, authorization: req.headers.authorization, form });
  const reply = script.shift() ?? { status: req.method === "POST" ? 201 : 200 };
  if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
  let body = reply.body;
  if (body === undefined && req.method === "POST" && path === CALLS_PATH) body = newCall(form);
  if (body === undefined && req.method === "GET") body = calls.get(path.match(/\/Calls\/(CA[0-9a-f]+)\.json$/)?.[1] ?? "") ?? { code: 20404, message: "Not found", status: 404 };
  if (!res.writable) return;
  res.writeHead(reply.status, { "Content-Type": "application/json", ...reply.headers }).end(JSON.stringify(body));
}

function newCall(form: URLSearchParams) {
  const sid = `CA${randomBytes(16).toString("hex")}`;
  const call = { sid, account_sid: ACCOUNT_SID, to: form.get("To"), from: form.get("From"), status: "queued", date_created: new Date().toUTCString().replace("GMT", "+0000"), start_time: null, end_time: null, duration: null, answered_by: null };
  calls.set(sid, call);
  return call;
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

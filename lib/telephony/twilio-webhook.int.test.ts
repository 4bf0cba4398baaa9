// Twilio's public callback routes refuse oversized bodies before reading them whole, and record nothing.
import twilio from "twilio";
import { describe, expect, it, vi } from "vitest";
import { db } from "../db";
import { createTenant } from "../test/factories";

vi.hoisted(() => {
  process.env.TWILIO_AUTH_TOKEN = "test-auth-token-123";
  process.env.PUBLIC_BASE_URL = "https://fairdial.example.test";
});

const { POST: status } = await import("../../app/api/telephony/twilio/status/route");
const { POST: twiml } = await import("../../app/api/telephony/twilio/twiml/route");

const LIMIT = 16 * 1024;

async function dialedAttempt() {
  const tenant = await createTenant();
  const campaign = await db.campaign.create({ data: { tenantId: tenant.id, name: "twilio", status: "RUNNING" } });
  const lead = await db.lead.create({ data: { tenantId: tenant.id, campaignId: campaign.id, line: 2, phone: "+15551230000", name: "Ada", status: "DIALING", attempts: 1 } });
  return db.callAttempt.create({ data: { tenantId: tenant.id, campaignId: campaign.id, leadId: lead.id, attemptNumber: 1, dialedAt: new Date(), providerCallId: "CA123" } });
}

/** Signed like Twilio signs, so only the size can be the reason for a refusal. */
function signed(route: "status" | "twiml", attemptId: string, params: Record<string, string>, chunked = false) {
  const path = `/api/telephony/twilio/${route}?attemptId=${attemptId}`;
  const signature = twilio.getExpectedTwilioSignature("test-auth-token-123", `https://fairdial.example.test${path}`, params);
  const bytes = new TextEncoder().encode(new URLSearchParams(params).toString());
  let sent = 0;
  const body = chunked
    ? new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = bytes.subarray(sent, sent + 1024);
          sent += next.byteLength;
          if (next.byteLength) controller.enqueue(next);
          else controller.close();
        },
      })
    : bytes;
  const headers = { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature, ...(chunked ? {} : { "content-length": String(bytes.byteLength) }) };
  const req = new Request(`http://127.0.0.1:3000${path}`, { method: "POST", headers, body, duplex: "half" } as RequestInit);
  return { req, read: () => sent };
}

describe("Twilio callbacks over 16 KB", () => {
  const padding = { Padding: "x".repeat(LIMIT) };

  it("a status callback with a Content-Length over the cap gets 413 and records no outcome", async () => {
    const attempt = await dialedAttempt();
    const res = await status(signed("status", attempt.id, { CallSid: "CA123", CallStatus: "busy", ...padding }).req);
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("larger than 16,384 bytes");
    expect((await db.callAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).outcome).toBeNull();
  });

  it("a chunked status callback (no Content-Length) is cut off at the cap: 413, the rest never read, no outcome", async () => {
    const attempt = await dialedAttempt();
    const { req, read } = signed("status", attempt.id, { CallSid: "CA123", CallStatus: "busy", ...padding, More: "y".repeat(4 * LIMIT) }, true);
    const res = await status(req);
    expect(res.status).toBe(413);
    expect(read()).toBeLessThanOrEqual(LIMIT + 2048);
    expect((await db.callAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).outcome).toBeNull();
  });

  it("the TwiML callback refuses an oversized body too, and still answers a normal one", async () => {
    const attempt = await dialedAttempt();
    expect((await twiml(signed("twiml", attempt.id, { CallSid: "CA123", ...padding }).req)).status).toBe(413);
    expect((await twiml(signed("twiml", attempt.id, { CallSid: "CA123" }, true).req)).status).toBe(200);
  });

  it("a chunked callback under the cap is read and recorded as before", async () => {
    const attempt = await dialedAttempt();
    const res = await status(signed("status", attempt.id, { CallSid: "CA123", CallStatus: "no-answer" }, true).req);
    expect(res.status).toBe(204);
    expect((await db.callAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).outcome).toBe("NO_ANSWER");
  });
});

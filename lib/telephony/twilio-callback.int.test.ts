// The Twilio status callback route, signed the way Twilio signs it, against the real database.
import twilio from "twilio";
import { describe, expect, it, vi } from "vitest";
import { db } from "../db";
import { createTenant } from "../test/factories";

// Before any module reads the environment (vi.hoisted runs ahead of the imports).
vi.hoisted(() => {
  process.env.TWILIO_AUTH_TOKEN = "test-auth-token-123";
  process.env.PUBLIC_BASE_URL = "https://fairdial.example.test";
});

const { POST } = await import("../../app/api/telephony/twilio/status/route");

async function dialedAttempt() {
  const tenant = await createTenant();
  const campaign = await db.campaign.create({ data: { tenantId: tenant.id, name: "twilio", status: "RUNNING" } });
  const lead = await db.lead.create({ data: { tenantId: tenant.id, campaignId: campaign.id, line: 2, phone: "+15551230000", status: "DIALING", attempts: 1 } });
  return db.callAttempt.create({ data: { tenantId: tenant.id, campaignId: campaign.id, leadId: lead.id, attemptNumber: 1, dialedAt: new Date(), providerCallId: "CA123" } });
}

function signedRequest(attemptId: string, params: Record<string, string>, tamper = false) {
  const url = `https://fairdial.example.test/api/telephony/twilio/status?attemptId=${attemptId}`;
  const signature = twilio.getExpectedTwilioSignature("test-auth-token-123", url, params);
  const body = new URLSearchParams(tamper ? { ...params, CallStatus: "completed" } : params);
  return new Request(`http://127.0.0.1:3000/api/telephony/twilio/status?attemptId=${attemptId}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
    body,
  });
}

describe("POST /api/telephony/twilio/status", () => {
  it("records a signed final status with the campaign's retry policy", async () => {
    const attempt = await dialedAttempt();
    const res = await POST(signedRequest(attempt.id, { CallSid: "CA123", CallStatus: "busy", CallDuration: "0" }));
    expect(res.status).toBe(204);
    const after = await db.callAttempt.findUniqueOrThrow({ where: { id: attempt.id }, include: { lead: true } });
    expect(after.outcome).toBe("BUSY");
    expect(after.lead.status).toBe("SCHEDULED"); // busy is retried by default
    expect(after.lead.lastOutcome).toBe("BUSY");
  });

  it("maps answering machines to voicemail and ignores non-final statuses", async () => {
    const attempt = await dialedAttempt();
    expect((await POST(signedRequest(attempt.id, { CallSid: "CA123", CallStatus: "ringing" }))).status).toBe(204);
    expect((await db.callAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).outcome).toBeNull();
    await POST(signedRequest(attempt.id, { CallSid: "CA123", CallStatus: "completed", AnsweredBy: "machine_end_beep", CallDuration: "21" }));
    const done = await db.callAttempt.findUniqueOrThrow({ where: { id: attempt.id }, include: { lead: true } });
    expect(done.outcome).toBe("VOICEMAIL");
    expect(done.lead.lastDurationSec).toBe(21);
  });

  it("refuses a tampered request and changes nothing", async () => {
    const attempt = await dialedAttempt();
    const res = await POST(signedRequest(attempt.id, { CallSid: "CA123", CallStatus: "no-answer" }, true));
    expect(res.status).toBe(403);
    expect((await db.callAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).outcome).toBeNull();
  });
});

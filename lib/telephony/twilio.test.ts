import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mapTwilioStatus, parseTwilioTimestamp, verifyTwilioSignature } from "./twilio";

describe("mapTwilioStatus", () => {
  it.each([
    ["completed", undefined, "COMPLETED"],
    ["completed", "human", "COMPLETED"],
    ["completed", "machine_end_beep", "VOICEMAIL"],
    ["completed", "machine_start", "VOICEMAIL"],
    ["busy", undefined, "BUSY"],
    ["no-answer", undefined, "NO_ANSWER"],
    ["failed", undefined, "FAILED"],
    ["canceled", undefined, "FAILED"],
    ["queued", undefined, null],
    ["initiated", undefined, null],
    ["ringing", undefined, null],
    ["in-progress", "human", null],
  ])("%s (answered by %s) → %s", (status, answeredBy, outcome) => {
    expect(mapTwilioStatus(status, answeredBy)).toBe(outcome);
  });
});

describe("parseTwilioTimestamp", () => {
  it.each([
    ["Tue, 10 Mar 2026 12:00:30 +0000", "2026-03-10T12:00:30.000Z"],
    ["Mon, 16 Aug 2010 03:45:01 GMT", "2010-08-16T03:45:01.000Z"],
    ["10 Mar 2026 14:00:30 +0200", "2026-03-10T12:00:30.000Z"],
  ])("reads %s as %s", (value, iso) => {
    expect(parseTwilioTimestamp(value)?.toISOString()).toBe(iso);
  });

  it.each([[undefined], [""], ["   "], ["12"], ["yesterday"], ["Tue, 99 Foo 2026 12:00:30 +0000"]])("has no date for %j", (value) => {
    expect(parseTwilioTimestamp(value)).toBeNull();
  });
});

describe("verifyTwilioSignature", () => {
  const authToken = "12345678901234567890123456789012";
  const url = "https://fairdial.example.com/api/telephony/twilio/status?attemptId=a-1";
  const params = { CallSid: "CA0123", CallStatus: "completed", AnsweredBy: "human", CallDuration: "42" };

  it("accepts a request signed with the account's auth token", () => {
    expect(verifyTwilioSignature(authToken, url, params, sign(authToken, url, params))).toBe(true);
  });

  it("rejects a tampered body, a tampered URL, a foreign token and a missing header", () => {
    const signature = sign(authToken, url, params);
    expect(verifyTwilioSignature(authToken, url, { ...params, CallStatus: "busy" }, signature)).toBe(false);
    expect(verifyTwilioSignature(authToken, url.replace("a-1", "a-2"), params, signature)).toBe(false);
    expect(verifyTwilioSignature("another-token-another-token-1234", url, params, signature)).toBe(false);
    expect(verifyTwilioSignature(authToken, url, params, undefined)).toBe(false);
  });
});

// Twilio's documented scheme, written out independently of the SDK: HMAC-SHA1 over the URL followed by every
// POST field name and value, sorted by name, base64-encoded.
function sign(authToken: string, url: string, params: Record<string, string>) {
  const data = Object.keys(params).sort().reduce((acc, k) => acc + k + params[k], url);
  return createHmac("sha1", authToken).update(data).digest("base64");
}

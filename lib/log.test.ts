import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, maskPhones } from "./log";

function capture() {
  const lines: string[] = [];
  const logger = createLogger(new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
  return { logger, text: () => lines.join(""), json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("phone numbers in logs", () => {
  it("keeps only the last 4 digits of a phone field, at the top, nested, and in a child logger's bindings", () => {
    const { logger, json, text } = capture();
    logger.child({ phone: "+14155550111" }).info({ to: "+12125550100", lead: { phone: "(415) 555-0101" }, call: { provider: { from: "+44 20 7946 0958" } } }, "dialing");
    const [line] = json();
    expect(line).toMatchObject({ phone: "…0111", to: "…0100", lead: { phone: "…0101" }, call: { provider: { from: "…0958" } } });
    for (const digits of ["14155550111", "2125550100", "555-0101", "7946"]) expect(text()).not.toContain(digits);
  });

  it("masks numbers inside messages and errors, including an error's cause (Twilio names the To number)", () => {
    const { logger, text } = capture();
    const twilio = new Error("The 'To' number +15005550001 is not a valid phone number.");
    logger.warn({ err: new Error("call failed", { cause: twilio }) }, "dial to +1 212-555-0199 failed");
    logger.warn({ err: "Twilio HTTP 400 (error 21211): Invalid 'To' Phone Number: +15005550002" }, "call failed at the provider");
    const out = text();
    expect(out).toContain("The 'To' number …0001 is not");
    expect(out).toContain("dial to …0199 failed");
    expect(out).toContain("Phone Number: …0002");
    for (const digits of ["15005550001", "15005550002", "212-555"]) expect(out).not.toContain(digits);
  });

  it("leaves fields that only share a name with a phone field, and text that is not a phone, as they are", () => {
    const { logger, json } = capture();
    logger.info({ from: "DRAFT", to: "RUNNING", number: 3 }, "campaign 2025-01-31T09:30:00.000Z took 1234567 ms on 127.0.0.1:6379, attempt cm0a1b2c3d4e5f6g7h8");
    expect(json()[0]).toMatchObject({ from: "DRAFT", to: "RUNNING", number: 3, msg: "campaign 2025-01-31T09:30:00.000Z took 1234567 ms on 127.0.0.1:6379, attempt cm0a1b2c3d4e5f6g7h8" });
  });

  it("recognises the ways a number is written", () => {
    expect(maskPhones("+12125550100, +1 (212) 555-0101, +44 20 7946 0958, 00442079460959 and 4155550102")).toBe("…0100, …0101, …0958, …0959 and …0102");
  });
});

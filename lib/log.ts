import pino from "pino";
import { env } from "./env";

// Structured logs; callers add tenantId / campaignId / leadId / attemptId as fields.
// Phone numbers are personal data: a log line keeps only their last 4 digits ("…0100"), enough to tell two
// leads apart, whether the number sits in a field, in the message, or in an error (Twilio names the "To").
const PHONE_FIELDS = ["phone", "to", "from", "number", "phoneNumber", "callerId"];
// An international number (+ then 8–15 digits, maybe spaced) or a bare run of 10–15 digits. Dates, times,
// durations and ids do not match: they are shorter, start without "+", or sit inside a word.
const PHONE_IN_TEXT = /\+\d(?:[\s().-]{0,2}\d){7,14}(?!\d)|(?<![\w+])\d{10,15}(?!\w)/g;

export const log = createLogger();

/** The app's logger; tests pass a destination to read what it writes. */
export function createLogger(destination?: pino.DestinationStream) {
  return pino(
    {
      level: env().LOG_LEVEL,
      redact: { paths: PHONE_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]), censor: maskPhoneField },
      serializers: { err: (err: unknown) => scrub(err instanceof Error ? pino.stdSerializers.err(err) : err) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === "string" ? maskPhones(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/** Every phone number in the text reduced to "…" and its last 4 digits. */
export function maskPhones(text: string): string {
  return text.replace(PHONE_IN_TEXT, lastFour);
}

function maskPhoneField(value: unknown): unknown {
  // Fields such as a status change's from/to hold no phone; only values with a phone's digits are masked.
  if (typeof value !== "string" && typeof value !== "number") return value;
  const text = String(value);
  return text.replace(/\D/g, "").length >= 7 ? lastFour(text) : value;
}

function lastFour(phone: string): string {
  return `…${phone.replace(/\D/g, "").slice(-4)}`;
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskPhones(value);
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
}

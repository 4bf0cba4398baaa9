import { z } from "zod";

/** Every event fairdial sends, with what it means. The names are part of the API: never rename one. */
export const WEBHOOK_EVENTS = {
  "campaign.started": "A campaign was started.",
  "campaign.paused": "A campaign was paused, by someone or by its scheduled automatic stop.",
  "campaign.resumed": "A paused campaign was resumed.",
  "campaign.completed": "Every lead of a running campaign reached a final state.",
  "campaign.cancelled": "A campaign was cancelled; its calls in progress still finish.",
  "call.started": "A call to a lead is being placed (the dial request goes to the provider).",
  "call.answered": "The called party (or a voicemail) answered.",
  "call.completed": "A call ended: answered and finished, no answer, busy or voicemail.",
  "call.failed": "A call could not be made: the provider or the network refused it, or the number is invalid.",
  "lead.suppressed": "A lead will not be called: its number is on a do-not-call list (at import, when listed, or at dial time).",
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as WebhookEventType[];
/** An endpoint subscribed to "*" receives every type, including types added later. */
export const ALL_EVENTS = "*";

export function isEventType(value: string): value is WebhookEventType {
  return Object.hasOwn(WEBHOOK_EVENTS, value);
}

// ---------- payloads (the `data` of the envelope); the SQL in outbox.ts builds exactly these shapes

const timestamp = z.iso.datetime().describe("ISO 8601, UTC");

export const campaignEventDataSchema = z.object({
  campaign: z.object({
    id: z.string(),
    name: z.string(),
    status: z.enum(["DRAFT", "RUNNING", "PAUSED", "COMPLETED", "CANCELLED"]),
    totalLeads: z.number().int(),
    startedAt: timestamp.nullable(),
    completedAt: timestamp.nullable(),
  }),
});

const callBase = {
  attemptId: z.string().describe("Stable across this call's events; the key for de-duplicating by call"),
  campaignId: z.string(),
  leadId: z.string(),
  phone: z.string().describe("E.164"),
  attemptNumber: z.number().int().describe("1 for the first call to the lead, 2 for its first retry, …"),
};

export const callStartedDataSchema = z.object({ ...callBase, dialedAt: timestamp });
export const callAnsweredDataSchema = z.object({ ...callBase, answeredAt: timestamp });
export const callEndedDataSchema = z.object({
  ...callBase,
  outcome: z.enum(["COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED", "PROVIDER_ERROR"]),
  dialedAt: timestamp.nullable(),
  answeredAt: timestamp.nullable(),
  endedAt: timestamp.nullable(),
  durationSec: z.number().int().nullable(),
  providerCallId: z.string().nullable(),
  error: z.string().nullable(),
  leadStatus: z.string().describe("Where the lead goes next: SCHEDULED (a retry is planned), COMPLETED, FAILED, …"),
  willRetry: z.boolean(),
  nextAttemptAt: timestamp.nullable(),
});
export const leadSuppressedDataSchema = z.object({
  campaignId: z.string(),
  leadId: z.string(),
  phone: z.string(),
  reason: z.string().nullable(),
});

export const EVENT_DATA_SCHEMAS: Record<WebhookEventType, z.ZodTypeAny> = {
  "campaign.started": campaignEventDataSchema,
  "campaign.paused": campaignEventDataSchema,
  "campaign.resumed": campaignEventDataSchema,
  "campaign.completed": campaignEventDataSchema,
  "campaign.cancelled": campaignEventDataSchema,
  "call.started": callStartedDataSchema,
  "call.answered": callAnsweredDataSchema,
  "call.completed": callEndedDataSchema,
  "call.failed": callEndedDataSchema,
  "lead.suppressed": leadSuppressedDataSchema,
};

/** What a receiver gets as the request body. `id` is the same on every retry and redelivery: de-duplicate by it. */
export function envelopeSchema<T extends z.ZodTypeAny>(type: WebhookEventType, data: T) {
  return z.object({
    id: z.string().describe("evt_…, unique per event; the same on every retry"),
    type: z.literal(type),
    createdAt: timestamp.describe("When the state change happened"),
    tenantId: z.string(),
    data,
  });
}

/** Outcomes that mean the call never connected to anyone for a reason other than the callee: call.failed. */
export const FAILED_OUTCOMES = ["FAILED", "PROVIDER_ERROR"] as const;

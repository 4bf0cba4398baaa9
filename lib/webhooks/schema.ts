import { z } from "zod";
import { MAX_URL_LENGTH } from "./limits";
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./events";

// Browser-safe shapes of webhook endpoints and their delivery log, shared by Settings, the REST API and OpenAPI.

export const MAX_ENDPOINTS_PER_TENANT = 16;
export const DELIVERY_LOG_LIMIT = 50;

const eventName = z.enum([ALL_EVENTS, ...WEBHOOK_EVENT_TYPES] as [string, ...string[]], { error: `Use event types from the list (${WEBHOOK_EVENT_TYPES.join(", ")}) or "*"` });

export const endpointInputSchema = z.object({
  url: z.string().trim().min(1, "Enter the URL that receives the events").max(MAX_URL_LENGTH, `Use at most ${MAX_URL_LENGTH} characters`),
  description: z.string().trim().max(200, "Use at most 200 characters").default(""),
  events: z
    .array(eventName)
    .min(1, "Choose at least one event")
    .max(WEBHOOK_EVENT_TYPES.length + 1)
    .transform((list) => (list.includes(ALL_EVENTS) ? [ALL_EVENTS] : [...new Set(list)].sort())),
  enabled: z.boolean().default(true),
});
export type EndpointInput = z.input<typeof endpointInputSchema>;

export const endpointUpdateSchema = endpointInputSchema.partial().refine((v) => Object.keys(v).length > 0, "Send at least one of url, description, events, enabled");
export type EndpointUpdate = z.input<typeof endpointUpdateSchema>;

/** The form: checkboxes named `events` (several values), `enabled` as "on". */
export function endpointFromForm(form: FormData) {
  return {
    url: String(form.get("url") ?? ""),
    description: String(form.get("description") ?? ""),
    events: form.getAll("events").map(String),
    enabled: form.get("enabled") === null ? undefined : form.get("enabled") === "on",
  };
}

export type EndpointStatus = "active" | "failing" | "disabled";

export const endpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()).describe(`Event types, or ["*"] for all`),
  enabled: z.boolean(),
  status: z.enum(["active", "failing", "disabled"]).describe("failing: a delivery used up its retries and none has succeeded since"),
  failingSince: z.string().nullable(),
  createdAt: z.string(),
});
export type EndpointJson = z.infer<typeof endpointSchema>;

export const deliveryLogEntrySchema = z.object({
  attemptId: z.string(),
  deliveryId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  attemptNumber: z.number().int(),
  at: z.string(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  error: z.string().nullable(),
  responseSnippet: z.string().nullable(),
  deliveryStatus: z.enum(["PENDING", "SUCCEEDED", "FAILED"]),
  nextAttemptAt: z.string().nullable().describe("When the delivery is tried again, while it is pending"),
});
export type DeliveryLogEntry = z.infer<typeof deliveryLogEntrySchema>;

export function subscribesTo(events: string[], type: WebhookEventType) {
  return events.includes(ALL_EVENTS) || events.includes(type);
}

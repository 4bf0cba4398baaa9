// The OpenAPI paths of webhook endpoints and their delivery log, and every event as an OpenAPI 3.1 webhook with
// its body's schema. buildRegistry() in lib/api/openapi.ts registers them with its response helpers.
import type { OpenAPIRegistry, ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { EVENT_DATA_SCHEMAS, envelopeSchema, WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES } from "../webhooks/events";
import { deliveryLogEntrySchema, endpointInputSchema, endpointSchema, MAX_ENDPOINTS_PER_TENANT } from "../webhooks/schema";

type PathHelpers = {
  json: <T extends z.ZodType>(schema: T, description: string) => ResponseConfig;
  fail: (description: string) => ResponseConfig;
  authenticated: Record<401 | 429, ResponseConfig>;
};

const SIGNING = [
  "Every request carries `Fairdial-Signature: t=<unix seconds>,v1=<hex>`, where the hex is HMAC-SHA256 of `<t>.<raw request body>` keyed with the endpoint's secret (`whsec_…`).",
  "Verify it over the raw bytes before parsing, compare in constant time, and refuse a `t` more than 5 minutes from your clock (a replay).",
  "Also sent: `Fairdial-Event-Id` (the same on every retry: de-duplicate by it), `Fairdial-Event-Type`, `Fairdial-Delivery-Id`, `Fairdial-Delivery-Attempt`.",
  "Answer 2xx within 10 s; anything else is retried with backoff for about a day. One lead's events arrive in the order they happened.",
].join(" ");

export function registerWebhookPaths(registry: OpenAPIRegistry, { json, fail, authenticated }: PathHelpers) {
  const endpoint = registry.register("WebhookEndpoint", endpointSchema.meta({}));
  const input = registry.register("WebhookEndpointInput", endpointInputSchema.meta({ description: `Event types: ${WEBHOOK_EVENT_TYPES.join(", ")}, or "*" for all (including types added later)` }));
  const update = registry.register("WebhookEndpointUpdate", endpointInputSchema.partial().meta({ description: "Any of the fields; enabling an endpoint clears its failing mark" }));
  const logEntry = registry.register("WebhookDeliveryAttempt", deliveryLogEntrySchema.meta({}));
  const secret = z.string().meta({ description: "The signing secret (whsec_…). Shown only in this answer: store it now", example: "whsec_3q2-7wEXAMPLEv1Jd9" });
  const tags = ["Webhooks"];
  const endpointId = z.object({ endpointId: z.string().meta({ description: "Endpoint id" }) });
  const notFound = fail("No endpoint with this id in your account");

  registry.registerPath({
    method: "get",
    path: "/api/v1/webhooks",
    operationId: "listWebhookEndpoints",
    summary: "List your webhook endpoints",
    tags,
    responses: { 200: json(z.object({ endpoints: z.array(endpoint) }), "Your endpoints, oldest first"), ...authenticated },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/webhooks",
    operationId: "createWebhookEndpoint",
    summary: "Add an endpoint; the answer holds its signing secret, once",
    description: `${SIGNING} At most ${MAX_ENDPOINTS_PER_TENANT} endpoints per account. In production the URL must be https and resolve to public addresses only (checked again at every send).`,
    tags,
    request: { body: { required: true, content: { "application/json": { schema: input } } } },
    responses: {
      201: json(z.object({ endpoint, secret }), "Created"),
      ...authenticated,
      409: fail("limit_reached: the account already has the maximum number of endpoints"),
      422: fail("validation_failed: a URL that is not https, points to a private, loopback or link-local address, or carries credentials; an unknown event type"),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/webhooks/{endpointId}",
    operationId: "getWebhookEndpoint",
    summary: "One endpoint",
    tags,
    request: { params: endpointId },
    responses: { 200: json(z.object({ endpoint }), "The endpoint"), ...authenticated, 404: notFound },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/webhooks/{endpointId}",
    operationId: "updateWebhookEndpoint",
    summary: "Change an endpoint's URL, description, events, or enable/disable it",
    tags,
    request: { params: endpointId, body: { required: true, content: { "application/json": { schema: update } } } },
    responses: { 200: json(z.object({ endpoint }), "The endpoint as changed"), ...authenticated, 404: notFound, 422: fail("validation_failed") },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/v1/webhooks/{endpointId}",
    operationId: "deleteWebhookEndpoint",
    summary: "Delete an endpoint with its deliveries and log",
    tags,
    request: { params: endpointId },
    responses: { 204: { description: "Deleted" }, ...authenticated, 404: notFound },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/webhooks/{endpointId}/roll-secret",
    operationId: "rollWebhookSecret",
    summary: "Replace the signing secret; the old one stops working at once",
    tags,
    request: { params: endpointId },
    responses: { 200: json(z.object({ secret }), "The new secret, shown only here"), ...authenticated, 404: notFound },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/webhooks/{endpointId}/deliveries",
    operationId: "listWebhookDeliveries",
    summary: "The endpoint's delivery log: its last 50 HTTP attempts, and deliveries by state",
    tags,
    request: { params: endpointId },
    responses: {
      200: json(z.object({ attempts: z.array(logEntry), counts: z.object({ pending: z.number().int(), succeeded: z.number().int(), failed: z.number().int() }) }), "Newest first"),
      ...authenticated,
      404: notFound,
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver",
    operationId: "redeliverWebhook",
    summary: "Send a delivery's event again, at once (same event id, new delivery id)",
    tags,
    request: { params: endpointId.extend({ deliveryId: z.string() }) },
    responses: {
      202: json(z.object({ deliveryId: z.string(), eventId: z.string() }), "Queued"),
      ...authenticated,
      404: fail("No such delivery of this endpoint in your account"),
      409: fail("endpoint_disabled: enable the endpoint first"),
    },
  });

  for (const type of WEBHOOK_EVENT_TYPES) {
    const name = `Event_${type.replace(".", "_")}`;
    registry.registerWebhook({
      method: "post",
      path: type,
      operationId: `event_${type.replace(".", "_")}`,
      summary: WEBHOOK_EVENTS[type],
      description: SIGNING,
      tags,
      request: { body: { required: true, content: { "application/json": { schema: registry.register(name, envelopeSchema(type, EVENT_DATA_SCHEMAS[type]).meta({})) } } } },
      responses: { 200: { description: "Any 2xx acknowledges the event; anything else (or no answer within 10 s) is retried" } },
    });
  }
}

// Endpoint management, always within one tenant: an id of another tenant's endpoint or delivery is not found.
import { db } from "../db";
import { env } from "../env";
import { ConflictError, FieldError, NotFoundError } from "../errors";
import { log } from "../log";
import { targetPolicy } from "./policy";
import { endpointInputSchema, endpointUpdateSchema, MAX_ENDPOINTS_PER_TENANT, type EndpointInput, type EndpointUpdate } from "./schema";
import { sealSecret } from "./secret-box";
import { generateSecret } from "./signing";
import { checkEndpointUrl, TargetRefused } from "./target";

type Scope = { tenantId: string };

function checkedUrl(url: string) {
  try {
    return checkEndpointUrl(url, targetPolicy(env()));
  } catch (err) {
    if (err instanceof TargetRefused) throw new FieldError({ url: [err.message] }, err.message);
    throw err;
  }
}

/** Creates an endpoint with a new signing secret, returned here once: only its encrypted form is kept. */
export async function createEndpoint(scope: Scope, input: EndpointInput) {
  const parsed = endpointInputSchema.parse(input);
  const url = checkedUrl(parsed.url);
  const secret = generateSecret();
  const endpoint = await db.$transaction(async (tx) => {
    // Serialises creations per tenant so the limit holds under concurrent requests.
    await tx.$queryRaw`SELECT 1 FROM "Tenant" WHERE id = ${scope.tenantId} FOR NO KEY UPDATE`;
    const count = await tx.webhookEndpoint.count({ where: { tenantId: scope.tenantId } });
    if (count >= MAX_ENDPOINTS_PER_TENANT) throw new ConflictError(`An account can have at most ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints; delete one first.`, "limit_reached");
    return tx.webhookEndpoint.create({ data: { tenantId: scope.tenantId, url, description: parsed.description, events: parsed.events, enabled: parsed.enabled, secretCiphertext: sealSecret(secret) } });
  });
  log.info({ tenantId: scope.tenantId, endpointId: endpoint.id, events: endpoint.events }, "webhook endpoint created");
  return { endpoint, secret };
}

export async function updateEndpoint(scope: Scope, endpointId: string, input: EndpointUpdate) {
  const parsed = endpointUpdateSchema.parse(input);
  const data = { ...parsed, ...(parsed.url !== undefined ? { url: checkedUrl(parsed.url) } : {}) };
  // Re-enabling clears the failing mark: the tenant says the endpoint is fixed; the next delivery proves it.
  const { count } = await db.webhookEndpoint.updateMany({ where: { id: endpointId, tenantId: scope.tenantId }, data: { ...data, ...(parsed.enabled === true ? { failingSince: null } : {}) } });
  if (count === 0) throw new NotFoundError("Webhook endpoint not found");
  return db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
}

/** A new secret; the old one stops working at once (deliveries in flight are signed with whichever they read). */
export async function rollEndpointSecret(scope: Scope, endpointId: string) {
  const secret = generateSecret();
  const { count } = await db.webhookEndpoint.updateMany({ where: { id: endpointId, tenantId: scope.tenantId }, data: { secretCiphertext: sealSecret(secret) } });
  if (count === 0) throw new NotFoundError("Webhook endpoint not found");
  log.info({ tenantId: scope.tenantId, endpointId }, "webhook endpoint secret rolled");
  return { secret };
}

/** Deletes the endpoint with its deliveries and log; events stay for the tenant's other endpoints. */
export async function deleteEndpoint(scope: Scope, endpointId: string) {
  const { count } = await db.webhookEndpoint.deleteMany({ where: { id: endpointId, tenantId: scope.tenantId } });
  if (count === 0) throw new NotFoundError("Webhook endpoint not found");
}

/**
 * Sends a delivery's event again, as a new delivery with the same event id (receivers de-duplicate by it), at once
 * and outside the per-lead order (it is a repeat of something already sent or given up on).
 */
export async function redeliver(scope: Scope, endpointId: string, deliveryId: string) {
  const original = await db.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId, tenantId: scope.tenantId }, select: { eventId: true, seq: true, endpoint: { select: { enabled: true } } } });
  if (!original) throw new NotFoundError("Delivery not found");
  if (!original.endpoint.enabled) throw new ConflictError("The endpoint is disabled; enable it to redeliver.", "endpoint_disabled");
  const copy = await db.webhookDelivery.create({
    data: { id: `whd_${crypto.randomUUID().replaceAll("-", "")}`, eventId: original.eventId, endpointId, tenantId: scope.tenantId, seq: original.seq, orderKey: null, redeliveryOf: deliveryId },
  });
  log.info({ tenantId: scope.tenantId, endpointId, deliveryId, redelivery: copy.id }, "webhook redelivery requested");
  return copy;
}

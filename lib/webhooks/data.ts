// Reads of a tenant's webhook endpoints and their delivery log, scoped by tenant.
import type { WebhookEndpoint } from "@prisma/client";
import { db } from "../db";
import { NotFoundError } from "../errors";
import { DELIVERY_LOG_LIMIT, type DeliveryLogEntry, type EndpointJson, type EndpointStatus } from "./schema";

type Scope = { tenantId: string };

export function endpointStatus(e: Pick<WebhookEndpoint, "enabled" | "failingSince">): EndpointStatus {
  if (!e.enabled) return "disabled";
  return e.failingSince ? "failing" : "active";
}

export function serializeEndpoint(e: WebhookEndpoint): EndpointJson {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    enabled: e.enabled,
    status: endpointStatus(e),
    failingSince: e.failingSince?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

export async function listEndpoints(scope: Scope) {
  return db.webhookEndpoint.findMany({ where: { tenantId: scope.tenantId }, orderBy: { createdAt: "asc" } });
}

export async function getEndpoint(scope: Scope, endpointId: string) {
  const endpoint = await db.webhookEndpoint.findFirst({ where: { id: endpointId, tenantId: scope.tenantId } });
  if (!endpoint) throw new NotFoundError("Webhook endpoint not found");
  return endpoint;
}

/** Deliveries of an endpoint by state: what is waiting (and retrying), delivered and given up on. */
export async function deliveryCounts(scope: Scope, endpointId: string) {
  const rows = await db.webhookDelivery.groupBy({ by: ["status"], where: { endpointId, tenantId: scope.tenantId }, _count: true });
  const counts = { PENDING: 0, SUCCEEDED: 0, FAILED: 0 };
  for (const r of rows) counts[r.status] = r._count;
  return counts;
}

/**
 * The endpoint's newest HTTP attempts (newest first), with the delivery's state; deliveries that have not been
 * attempted yet are not in the log (see deliveryCounts for those).
 */
export async function deliveryLog(scope: Scope, endpointId: string, limit = DELIVERY_LOG_LIMIT): Promise<DeliveryLogEntry[]> {
  await getEndpoint(scope, endpointId);
  const rows = await db.webhookDeliveryAttempt.findMany({
    where: { endpointId, delivery: { tenantId: scope.tenantId } },
    orderBy: { id: "desc" },
    take: limit,
    include: { delivery: { select: { id: true, status: true, nextAttemptAt: true, event: { select: { id: true, type: true } } } } },
  });
  return rows.map((r) => ({
    attemptId: r.id.toString(),
    deliveryId: r.deliveryId,
    eventId: r.delivery.event.id,
    eventType: r.delivery.event.type,
    attemptNumber: r.attemptNumber,
    at: r.at.toISOString(),
    statusCode: r.statusCode,
    latencyMs: r.latencyMs,
    error: r.error,
    responseSnippet: r.responseSnippet,
    deliveryStatus: r.delivery.status,
    nextAttemptAt: r.delivery.status === "PENDING" ? r.delivery.nextAttemptAt.toISOString() : null,
  }));
}

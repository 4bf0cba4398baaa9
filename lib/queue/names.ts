// Every queue is named once, here. The shared calls queue is what all tenants' calls flow through;
// dedicated lanes get `calls:lane:<tenantId>`.
export const CALLS_QUEUE = "calls";

export function laneQueue(tenantId: string) {
  return `${CALLS_QUEUE}-lane-${tenantId}`;
}

/** Webhook deliveries: their own queue and worker role, never in the calls' path. */
export const WEBHOOKS_QUEUE = "webhooks";

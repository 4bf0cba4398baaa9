// POST /api/v1/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver — send the delivery's event again (same event id)
import { apiRoute } from "@/lib/api/handler";
import { redeliver } from "@/lib/webhooks/mutations";

export const POST = apiRoute<{ endpointId: string; deliveryId: string }>(async ({ tenantId, params }) => {
  const copy = await redeliver({ tenantId }, params.endpointId, params.deliveryId);
  return Response.json({ deliveryId: copy.id, eventId: copy.eventId }, { status: 202 });
});

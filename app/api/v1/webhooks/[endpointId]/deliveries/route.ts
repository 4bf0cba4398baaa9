// GET /api/v1/webhooks/{endpointId}/deliveries — the endpoint's newest HTTP attempts and its deliveries by state
import { apiRoute } from "@/lib/api/handler";
import { deliveryCounts, deliveryLog } from "@/lib/webhooks/data";

export const GET = apiRoute<{ endpointId: string }>(async ({ tenantId, params }) => {
  const attempts = await deliveryLog({ tenantId }, params.endpointId);
  const counts = await deliveryCounts({ tenantId }, params.endpointId);
  return Response.json({ attempts, counts: { pending: counts.PENDING, succeeded: counts.SUCCEEDED, failed: counts.FAILED } });
});

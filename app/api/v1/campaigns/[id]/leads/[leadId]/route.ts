// GET /api/v1/campaigns/{id}/leads/{leadId} — one lead of a campaign with all its call attempts
import { apiRoute } from "@/lib/api/handler";
import { serializeAttempt } from "@/lib/attempts/attempt-json";
import { getLeadWithAttempts } from "@/lib/attempts/data";
import { serializeLead } from "@/lib/campaigns/data";

export const GET = apiRoute<{ id: string; leadId: string }>(async ({ tenantId, params }) => {
  const { lead, attempts } = await getLeadWithAttempts(tenantId, params.id, params.leadId);
  return Response.json({ lead: { ...serializeLead(lead), attempts: attempts.map(serializeAttempt) } });
});

// GET /api/v1/campaigns/{id} — a campaign with its lead counts per status
import { apiRoute } from "@/lib/api/handler";
import { toCampaignJson } from "@/lib/api/openapi";
import { getCampaign, statusCounts } from "@/lib/campaigns/data";

export const GET = apiRoute<{ id: string }>(async ({ tenantId, params }) => {
  const campaign = await getCampaign(tenantId, params.id);
  const counts = await statusCounts(tenantId, campaign.id);
  return Response.json({ campaign: { ...toCampaignJson(campaign), counts } });
});

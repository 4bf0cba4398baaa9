// POST /api/v1/campaigns/{id}/{action} — start, pause, resume or cancel a campaign
import { apiRoute } from "@/lib/api/handler";
import { toCampaignJson } from "@/lib/api/openapi";
import { changeCampaignStatus } from "@/lib/campaigns/mutations";
import { campaignActionSchema } from "@/lib/campaigns/schema";
import { NotFoundError } from "@/lib/errors";

export const POST = apiRoute<{ id: string; action: string }>(async ({ tenantId, params }) => {
  const action = campaignActionSchema.safeParse(params.action);
  if (!action.success) throw new NotFoundError(`Unknown action "${params.action}"; use start, pause, resume or cancel`);
  const campaign = await changeCampaignStatus(tenantId, params.id, action.data);
  return Response.json({ campaign: toCampaignJson(campaign) });
});

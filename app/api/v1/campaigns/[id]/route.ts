// GET, PATCH /api/v1/campaigns/{id} — a campaign with its lead counts per status and why leads wait; change its calling schedule
import { apiRoute } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/json-body";
import { toCampaignJson } from "@/lib/api/openapi";
import { getCampaign, statusCounts } from "@/lib/campaigns/data";
import { updateCampaignSchedule } from "@/lib/campaigns/mutations";
import { forgetProgress } from "@/lib/campaigns/progress";
import { updateCampaignScheduleSchema } from "@/lib/campaigns/schema";
import { waitingReasons } from "@/lib/campaigns/window-state";

export const GET = apiRoute<{ id: string }>(async ({ tenantId, params }) => {
  const campaign = await getCampaign(tenantId, params.id);
  const counts = await statusCounts(tenantId, campaign.id);
  const waiting = await waitingReasons(tenantId, campaign.id, counts);
  return Response.json({ campaign: { ...toCampaignJson(campaign), counts, waiting } });
});

export const PATCH = apiRoute<{ id: string }>(async ({ req, tenantId, params }) => {
  const input = updateCampaignScheduleSchema.parse(await readJsonBody(req));
  const campaign = await updateCampaignSchedule(tenantId, params.id, input);
  forgetProgress(tenantId, campaign.id);
  return Response.json({ campaign: toCampaignJson(campaign) });
});

// POST /api/v1/campaigns/{id}/{action} — start, pause, resume or cancel a campaign; archive, unarchive or duplicate it
import { apiRoute } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/json-body";
import { toCampaignJson } from "@/lib/api/openapi";
import { archiveCampaign, unarchiveCampaign } from "@/lib/campaigns/archive";
import { duplicateCampaign } from "@/lib/campaigns/duplicate";
import { changeCampaignStatus } from "@/lib/campaigns/mutations";
import { campaignActionSchema, duplicateCampaignSchema } from "@/lib/campaigns/schema";
import { NotFoundError } from "@/lib/errors";
import { importErrorResponse } from "@/lib/imports/error-response";
import { ImportError } from "@/lib/imports/schema";

export const POST = apiRoute<{ id: string; action: string }>(async ({ req, tenantId, params }) => {
  if (params.action === "duplicate") {
    const input = duplicateCampaignSchema.parse(await readJsonBody(req));
    try {
      return Response.json({ campaign: toCampaignJson(await duplicateCampaign(tenantId, params.id, input)) }, { status: 201 });
    } catch (err) {
      // The copy takes an import slot: "too many imports" answers as an upload's does (429, Retry-After).
      if (err instanceof ImportError) return importErrorResponse(err);
      throw err;
    }
  }
  if (params.action === "archive" || params.action === "unarchive") {
    const campaign = params.action === "archive" ? await archiveCampaign(tenantId, params.id) : await unarchiveCampaign(tenantId, params.id);
    return Response.json({ campaign: toCampaignJson(campaign) });
  }
  const action = campaignActionSchema.safeParse(params.action);
  if (!action.success) throw new NotFoundError(`Unknown action "${params.action}"; use start, pause, resume, cancel, archive, unarchive or duplicate`);
  const campaign = await changeCampaignStatus(tenantId, params.id, action.data);
  return Response.json({ campaign: toCampaignJson(campaign) });
});

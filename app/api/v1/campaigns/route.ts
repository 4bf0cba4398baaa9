// GET, POST /api/v1/campaigns — list a tenant's campaigns (archived ones with ?archived=true); create one from a CSV upload or JSON leads
import { apiError, apiRoute } from "@/lib/api/handler";
import { cappedJsonBody } from "@/lib/api/json-body";
import { toCampaignJson } from "@/lib/api/openapi";
import { createCampaignFromForm, createCampaignFromJson } from "@/lib/campaigns/create";
import { UploadError } from "@/lib/campaigns/upload";
import { listCampaigns } from "@/lib/campaigns/data";
import { campaignsQuerySchema } from "@/lib/campaigns/schema";
import { importErrorResponse } from "@/lib/imports/error-response";
import { ImportError } from "@/lib/imports/schema";

export const GET = apiRoute(async ({ req, tenantId }) => {
  const given = [...new URL(req.url).searchParams].filter(([, value]) => value !== "");
  const { archived } = campaignsQuerySchema.parse(Object.fromEntries(given));
  const campaigns = await listCampaigns(tenantId, { archived });
  return Response.json({ campaigns: campaigns.map(toCampaignJson) });
});

const creators = { "multipart/form-data": createCampaignFromForm, "application/json": createCampaignFromJson };

export const POST = apiRoute(async ({ req, tenantId }) => {
  const contentType = req.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  if (!(mediaType in creators)) {
    return apiError(415, "unsupported_media_type", "Send the CSV as multipart/form-data (a `file` field), or the leads as application/json.");
  }
  const length = req.headers.get("content-length");
  // A CSV streams into the import under IMPORT_MAX_BYTES; JSON is parsed whole, so it has its own, lower cap.
  const body = mediaType === "application/json" ? await cappedJsonBody(req) : { body: req.body, length: length ? Number(length) : undefined };
  try {
    const created = await creators[mediaType as keyof typeof creators]({
      tenantId,
      contentType,
      contentLength: body.length,
      body: body.body,
      signal: req.signal,
    });
    return Response.json({ campaign: toCampaignJson(created.campaign), import: created.import }, { status: 201 });
  } catch (err) {
    if (err instanceof UploadError) return apiError(err.status, err.code, err.message);
    if (!(err instanceof ImportError)) throw err;
    return importErrorResponse(err);
  }
});

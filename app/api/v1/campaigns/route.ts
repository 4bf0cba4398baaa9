// GET, POST /api/v1/campaigns — list a tenant's campaigns; create one from a CSV upload or JSON leads
import { apiError, apiRoute } from "@/lib/api/handler";
import { toCampaignJson } from "@/lib/api/openapi";
import { createCampaignFromForm, createCampaignFromJson } from "@/lib/campaigns/create";
import { UploadError } from "@/lib/campaigns/upload";
import { listCampaigns } from "@/lib/campaigns/data";
import { ImportError, importErrorStatus } from "@/lib/imports/schema";

export const GET = apiRoute(async ({ tenantId }) => {
  const campaigns = await listCampaigns(tenantId);
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
  try {
    const created = await creators[mediaType as keyof typeof creators]({
      tenantId,
      contentType,
      contentLength: length ? Number(length) : undefined,
      body: req.body,
      signal: req.signal,
    });
    return Response.json({ campaign: toCampaignJson(created.campaign), import: created.import }, { status: 201 });
  } catch (err) {
    if (err instanceof UploadError) return apiError(err.status, err.code, err.message);
    if (!(err instanceof ImportError)) throw err;
    const line = err.line === undefined ? {} : { line: err.line };
    return Response.json({ error: { code: err.code, message: err.message, ...line } }, { status: importErrorStatus(err.code) });
  }
});

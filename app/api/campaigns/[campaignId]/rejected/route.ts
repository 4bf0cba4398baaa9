// GET /api/campaigns/[campaignId]/rejected — the rows the import refused (line, reason, raw) as a CSV download
import { Readable } from "node:stream";
import { apiError, errorResponse } from "@/lib/api/handler";
import { currentUser } from "@/lib/auth/session";
import { getCampaign } from "@/lib/campaigns/data";
import { rejectedRowsCsv } from "@/lib/imports/rejected-csv";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ campaignId: string }> }) {
  const user = await currentUser();
  if (!user) return apiError(401, "unauthorized", "Sign in to download rejected rows.");
  const { campaignId } = await params;
  try {
    const campaign = await getCampaign(user.tenantId, campaignId);
    const stream = await rejectedRowsCsv(user.tenantId, campaignId);
    if (!stream) return apiError(404, "not_found", "Campaign not found");
    const filename = `${slug(campaign.name)}-rejected-rows.csv`;
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" },
    });
  } catch (err) {
    return errorResponse(err);
  }
}

function slug(name: string) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "campaign";
}

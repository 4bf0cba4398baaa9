// GET /api/campaigns/[campaignId]/attempts/export — every call attempt of the campaign as a CSV download
import { Readable } from "node:stream";
import { apiError, errorResponse } from "@/lib/api/handler";
import { exportAttemptsCsv } from "@/lib/attempts/export-csv";
import { currentUser } from "@/lib/auth/session";
import { getCampaign } from "@/lib/campaigns/data";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ campaignId: string }> }) {
  const user = await currentUser();
  if (!user) return apiError(401, "unauthorized", "Sign in to download call attempts.");
  const { campaignId } = await params;
  try {
    // Looked up first: once the body streams, a 404 can no longer be sent.
    const campaign = await getCampaign(user.tenantId, campaignId);
    const body = Readable.toWeb(Readable.from(exportAttemptsCsv(user.tenantId, campaignId), { objectMode: false })) as ReadableStream<Uint8Array>;
    const filename = `${slug(campaign.name)}-call-attempts.csv`;
    return new Response(body, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" } });
  } catch (err) {
    return errorResponse(err);
  }
}

function slug(name: string) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "campaign";
}

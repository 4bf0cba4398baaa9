// GET /api/v1/campaigns/{id}/export — the results CSV of a campaign, streamed
import { Readable } from "node:stream";
import { apiRoute } from "@/lib/api/handler";
import { exportLeadsCsv, getCampaign } from "@/lib/campaigns/data";

export const GET = apiRoute<{ id: string }>(async ({ tenantId, params }) => {
  // The generator checks the campaign only once read; checking first answers a foreign id with 404, not a broken stream.
  const campaign = await getCampaign(tenantId, params.id);
  const lines = Readable.from(exportLeadsCsv(tenantId, campaign.id), { objectMode: false });
  return new Response(Readable.toWeb(lines) as ReadableStream<Uint8Array>, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="campaign-${campaign.id}-results.csv"` },
  });
});

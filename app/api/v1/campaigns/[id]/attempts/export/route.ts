// GET /api/v1/campaigns/{id}/attempts/export — one CSV row per call attempt of a campaign, streamed (?outcome=&from=&to=)
import { Readable } from "node:stream";
import { apiRoute } from "@/lib/api/handler";
import { exportAttemptsCsv } from "@/lib/attempts/export-csv";
import { attemptFiltersSchema } from "@/lib/attempts/schema";
import { getCampaign } from "@/lib/campaigns/data";

export const GET = apiRoute<{ id: string }>(async ({ req, tenantId, params }) => {
  const given = [...new URL(req.url).searchParams].filter(([, value]) => value !== "");
  const filters = attemptFiltersSchema.parse(Object.fromEntries(given));
  // Checked before the body streams: once it does, a foreign id can no longer be answered with 404.
  const campaign = await getCampaign(tenantId, params.id);
  const lines = Readable.from(exportAttemptsCsv(tenantId, campaign.id, filters), { objectMode: false });
  return new Response(Readable.toWeb(lines) as ReadableStream<Uint8Array>, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="campaign-${campaign.id}-attempts.csv"` },
  });
});

// GET /api/v1/campaigns/{id}/rejected — the rows the import refused, as CSV to fix and upload again
import { Readable } from "node:stream";
import { apiRoute } from "@/lib/api/handler";
import { NotFoundError } from "@/lib/errors";
import { rejectedRowsCsv } from "@/lib/imports/rejected-csv";

export const GET = apiRoute<{ id: string }>(async ({ tenantId, params }) => {
  const rows = await rejectedRowsCsv(tenantId, params.id);
  if (!rows) throw new NotFoundError("Campaign not found");
  return new Response(Readable.toWeb(rows) as ReadableStream<Uint8Array>, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="campaign-${params.id}-rejected.csv"` },
  });
});

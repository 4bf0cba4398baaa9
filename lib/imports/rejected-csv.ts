// The rows an import refused, as a CSV to download, fix and upload again. Streamed page by page so a
// campaign with a million rejected rows never sits in memory; cells are neutralised because the file is
// meant to be opened in a spreadsheet and `raw` is whatever the uploader wrote.
import { Readable } from "node:stream";
import { db } from "../db";
import { safeCsvLine } from "./csv-safe";

const PAGE = 5000;

/**
 * CSV (line, reason, raw) of a campaign's rejected rows, in file order, or null when the campaign does not
 * exist or belongs to another tenant. For a Response body: `Readable.toWeb(stream)`.
 */
export async function rejectedRowsCsv(tenantId: string, campaignId: string): Promise<Readable | null> {
  const campaign = await db.campaign.findFirst({ where: { id: campaignId, tenantId }, select: { id: true } });
  if (!campaign) return null;
  return Readable.from(lines(campaign.id), { objectMode: false });
}

async function* lines(campaignId: string): AsyncGenerator<string> {
  yield safeCsvLine(["line", "reason", "raw"]);
  // Keyset pagination on (campaignId, line), which the RejectedRow index covers; a line is rejected once.
  let after = 0;
  for (;;) {
    const page = await db.rejectedRow.findMany({
      where: { campaignId, line: { gt: after } },
      orderBy: { line: "asc" },
      take: PAGE,
      select: { line: true, reason: true, raw: true },
    });
    if (page.length === 0) return;
    yield page.map((r) => safeCsvLine([String(r.line), r.reason, r.raw])).join("");
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.line;
  }
}

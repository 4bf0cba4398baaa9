import { Readable } from "node:stream";
import { exportLeadsCsv } from "../lib/campaigns/data";
import { exportAttemptsCsv } from "../lib/attempts/export-csv";
import { db } from "../lib/db";
import { attemptSummaries } from "../lib/attempts/lead-summary";

async function main() {
  const [c] = await db.$queryRaw<{ id: string; tenantId: string }[]>`SELECT id, "tenantId" FROM "Campaign" WHERE "totalLeads" = 200000 ORDER BY "createdAt" DESC LIMIT 1`;
  if (!c) throw new Error("no campaign");
  let t = performance.now(); let n = 0;
  for await (const line of exportLeadsCsv(c.tenantId, c.id)) n += line.length;
  console.log("gen results", n, ((performance.now() - t) / 1000).toFixed(2));
  t = performance.now(); n = 0;
  const body = Readable.toWeb(Readable.from(exportLeadsCsv(c.tenantId, c.id), { objectMode: false })) as ReadableStream<Uint8Array>;
  const reader = body.getReader(); let chunks = 0;
  for (;;) { const r = await reader.read(); if (r.done) break; n += r.value.length; chunks++; }
  console.log("stream results", n, chunks, ((performance.now() - t) / 1000).toFixed(2));
  t = performance.now(); let cursor: bigint | undefined; let q = 0, s = 0;
  for (;;) {
    const t1 = performance.now();
    const batch = await db.lead.findMany({ where: { campaignId: c.id, tenantId: c.tenantId, ...(cursor !== undefined ? { id: { gt: cursor } } : {}) }, orderBy: { id: "asc" }, take: 5000 });
    const t2 = performance.now(); q += t2 - t1;
    await attemptSummaries(c.tenantId, batch.map((l) => l.id)); s += performance.now() - t2;
    if (batch.length < 5000) break; cursor = batch[batch.length - 1]!.id;
  }
  console.log("findMany", (q / 1000).toFixed(2), "summaries", (s / 1000).toFixed(2));
  t = performance.now(); n = 0;
  for await (const line of exportAttemptsCsv(c.tenantId, c.id)) n += line.length;
  console.log("gen attempts", n, ((performance.now() - t) / 1000).toFixed(2));
  await db.$disconnect();
}
main();

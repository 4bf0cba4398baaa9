// npm run bench:import [-- --rows 1000000 --keep]
// Generates a CSV of 1,000,000 leads (phone + 3 variable columns) into a temp file, imports it into a fresh
// tenant and prints rows/s and peak RSS. Targets on the 2-core dev box: ≥ 50,000 rows/s, peak RSS ≤ 300 MB.
//
// It starts nothing and writes to whatever DATABASE_URL points at, so point it at a throwaway database:
//   npx tsx scripts/services.ts start test
//   export DATABASE_URL=postgresql://fairdial:fairdial@127.0.0.1:54339/fairdial_test REDIS_URL=redis://127.0.0.1:63809
//   npx prisma migrate deploy && npm run bench:import
// The tenant (and with it the million leads) is deleted afterwards unless --keep is given.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { db } from "../lib/db";
import { closePgPool } from "../lib/pg";
import { leadsCsv, leadsCsvCounts, toTempFile } from "../lib/imports/fixtures/generate";
import { importCampaign } from "../lib/imports/import";

const { values } = parseArgs({ options: { rows: { type: "string", default: "1000000" }, keep: { type: "boolean", default: false } } });
const rows = Number(values.rows);
const MB = 1024 * 1024;

async function main() {
  if (!process.env.DATABASE_URL) console.warn("DATABASE_URL is not set: using the dev database default from lib/env.ts");
  process.stdout.write(`generating ${rows.toLocaleString("en-US")} rows… `);
  const file = await toTempFile(leadsCsv({ rows }));
  console.log(`${(fs.statSync(file).size / MB).toFixed(1)} MB at ${file}`);
  try {
    await run(file);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    await closePgPool();
    await db.$disconnect();
  }
}

async function run(file: string) {
  const tenant = await db.tenant.create({ data: { name: `bench-import-${Date.now()}` } });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  try {
    const result = await importCampaign({
      tenantId: tenant.id,
      options: { name: "bench import", defaultCountry: "US" },
      source: fs.createReadStream(file),
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const expected = leadsCsvCounts({ rows });
    if (result.imported !== expected.imported) throw new Error(`imported ${result.imported}, expected ${expected.imported}`);
    // maxRSS is in KB and covers the whole process lifetime, generation included.
    const maxRss = (process.resourceUsage().maxRSS * 1024) / MB;
    const rate = rows / seconds;
    console.log(`imported ${result.imported.toLocaleString("en-US")} leads in ${seconds.toFixed(2)} s`);
    console.log(`throughput  ${Math.round(rate).toLocaleString("en-US")} rows/s   (target ≥ 50,000)  ${rate >= 50_000 ? "ok" : "MISSED"}`);
    console.log(`peak RSS    ${(peak / MB).toFixed(0)} MB sampled every 50 ms, ${maxRss.toFixed(0)} MB maxRSS   (target ≤ 300)  ${Math.max(peak / MB, maxRss) <= 300 ? "ok" : "MISSED"}`);
  } finally {
    clearInterval(sampler);
    if (!values.keep) {
      await db.tenant.delete({ where: { id: tenant.id } });
      // Otherwise autovacuum of the million deleted leads competes with the next run for the two cores.
      await db.$executeRawUnsafe(`VACUUM "Lead", "RejectedRow"`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

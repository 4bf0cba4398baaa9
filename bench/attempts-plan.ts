// The plans Postgres picks for the call-attempt reads (lib/attempts/) on a campaign of 200,000 attempts that sits
// between two other campaigns of 200,000 each: pages of GET /api/v1/campaigns/{id}/attempts (first, middle, last,
// filtered), an attempts-export batch and a results-export batch's summaries. The statements are lib/'s own.
// Prints EXPLAIN (ANALYZE, BUFFERS) of each, then removes what it created. Against the test services:
//   eval "$(npx tsx scripts/print-env.ts test)" && NODE_ENV=test npx tsx bench/attempts-plan.ts [--neighbours 2] [--neighbour-leads 200000]
// More, smaller neighbours make the campaign a smaller share of the table, as in production: the planner then
// expects fewer of the span's attempts to be the campaign's (it takes the two conditions as independent).
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { Prisma } from "@prisma/client";
import { attemptPageSql, leadIdSpan, leadIdSpanSql } from "../lib/attempts/data";
import { ATTEMPTS_EXPORT_BATCH } from "../lib/attempts/export-csv";
import { attemptSummarySql } from "../lib/attempts/lead-summary";
import { db } from "../lib/db";
import { closePgPool, pgPool } from "../lib/pg";
import { createTenant } from "../lib/test/factories";

const LEADS = 100_000;
const T0 = "2025-03-03 10:00:00";

async function main() {
  const { values } = parseArgs({ options: { neighbours: { type: "string", default: "2" }, "neighbour-leads": { type: "string", default: String(2 * LEADS) } } });
  const neighbours = Number(values.neighbours);
  const neighbourLeads = Number(values["neighbour-leads"]);
  const tenant = await createTenant({ name: "attempts-plan" });
  try {
    const started = performance.now();
    for (let i = 0; i < Math.ceil(neighbours / 2); i++) await seedCampaign(tenant.id, neighbourLeads, 1);
    const campaignId = await seedCampaign(tenant.id, LEADS, 2);
    for (let i = 0; i < Math.floor(neighbours / 2); i++) await seedCampaign(tenant.id, neighbourLeads, 1);
    await pgPool().query(`ANALYZE "Lead"; ANALYZE "CallAttempt"`);
    const total = 2 * LEADS + neighbours * neighbourLeads;
    console.log(`seeded ${total.toLocaleString("en-US")} attempts in ${((performance.now() - started) / 1000).toFixed(1)} s; the campaign between its ${neighbours} neighbours has 200,000`);

    const span = (await leadIdSpan(campaignId))!;
    const page = (filters: Parameters<typeof attemptPageSql>[3], after?: { leadId: bigint; attemptNumber: number }, limit = 101) => attemptPageSql(tenant.id, campaignId, span, filters, after, limit);
    const window = { from: new Date("2025-03-03T12:00:00Z"), to: new Date("2025-03-03T13:00:00Z") };
    await explain("lead id span", leadIdSpanSql(campaignId));
    await explain("first page (limit 100)", page({}));
    await explain("middle page", page({}, { leadId: span.first + BigInt(LEADS / 2), attemptNumber: 1 }));
    await explain("last page", page({}, { leadId: span.last - 20n, attemptNumber: 2 }));
    await explain("outcome=BUSY, first page", page({ outcome: "BUSY" }));
    await explain("outcome=pending (1 % of attempts), first page", page({ outcome: "pending" }));
    await explain("from/to: one hour in the middle of the dials, first page", page(window));
    await explain(`attempts export batch (${ATTEMPTS_EXPORT_BATCH.toLocaleString("en-US")})`, page({}, undefined, ATTEMPTS_EXPORT_BATCH));
    await explain("a page of 5,000", page({}, undefined, 5000));
    const ids = (await db.lead.findMany({ where: { campaignId }, orderBy: { id: "asc" }, take: 5000, select: { id: true } })).map((l) => l.id);
    await explain("results export batch summaries (5,000 leads)", attemptSummarySql(tenant.id, ids));
  } finally {
    await db.tenant.delete({ where: { id: tenant.id } });
    await db.$disconnect();
    await closePgPool();
  }
}

async function explain(label: string, sql: Prisma.Sql) {
  const rows = await db.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
  // A batch's 5,000 lead ids would fill the screen.
  const plan = rows.map((r) => r["QUERY PLAN"].replace(/'\{[\d,]{200,}\}'/, "'{…}'"));
  console.log(`\n## ${label}\n${plan.join("\n")}`);
}

/**
 * A running campaign whose leads are in every status, with `perLead` attempts each: dialed 180 ms apart in lead
 * order, a retry 30 minutes after the first call; mostly no answer, 30 % answered, 1 in 50 last calls without an
 * outcome yet (pending).
 */
async function seedCampaign(tenantId: string, leads: number, perLead: number) {
  const id = `c${randomUUID().replaceAll("-", "")}`;
  const pool = pgPool();
  await pool.query(`INSERT INTO "Campaign" (id, "tenantId", name, status, "totalLeads") VALUES ($1, $2, $1, 'RUNNING', $3)`, [id, tenantId, leads]);
  await pool.query(
    `INSERT INTO "Lead" ("tenantId", "campaignId", line, phone, status, attempts)
     SELECT $1, $2, g + 1, '+1212' || (2000000 + g)::text,
            (CASE g % 10 WHEN 0 THEN 'PENDING' WHEN 1 THEN 'SCHEDULED' WHEN 2 THEN 'NO_ANSWER' WHEN 3 THEN 'BUSY' ELSE 'COMPLETED' END)::"LeadStatus", $4
     FROM generate_series(1, $3::int) g`,
    [tenantId, id, leads, perLead],
  );
  await pool.query(
    `INSERT INTO "CallAttempt" (id, "tenantId", "campaignId", "leadId", "attemptNumber", "queuedAt", "dialedAt", "answeredAt", "endedAt", outcome, "providerCallId")
     SELECT gen_random_uuid()::text, l."tenantId", l."campaignId", l.id, n, x.d - interval '2 seconds', x.d,
            CASE WHEN x.o = 'COMPLETED' THEN x.d + interval '5 seconds' END, CASE WHEN x.o IS NOT NULL THEN x.d + interval '60 seconds' END,
            x.o::"CallOutcome", 'CA' || md5(l.id::text || '-' || n)
     FROM "Lead" l CROSS JOIN generate_series(1, $2::int) n
     CROSS JOIN LATERAL (
       SELECT $3::timestamp + l.line * interval '180 milliseconds' + (n - 1) * interval '30 minutes' AS d,
              CASE WHEN n = $2::int AND l.line % 50 = 0 THEN NULL WHEN (l.line + n) % 10 < 3 THEN 'COMPLETED' WHEN (l.line + n) % 10 < 9 THEN 'NO_ANSWER' ELSE 'BUSY' END AS o
     ) x
     WHERE l."campaignId" = $1`,
    [id, perLead, T0],
  );
  return id;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

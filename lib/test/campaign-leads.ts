// A draft campaign whose leads have the given numbers and statuses, inserted set-based as seedCampaign does, with
// pendingCount kept as the engine keeps it (the PENDING leads). For tests that need particular numbers.
import { randomUUID } from "node:crypto";
import { pgPool } from "../pg";

export type SeedLead = { phone: string; status?: "PENDING" | "SCHEDULED" | "QUEUED" | "DIALING" | "COMPLETED" | "CANCELLED" };

export async function campaignWithLeads(tenantId: string, leads: SeedLead[], status: "DRAFT" | "RUNNING" = "DRAFT") {
  const id = `c${randomUUID().replaceAll("-", "")}`;
  const pool = pgPool();
  const statuses = leads.map((l) => l.status ?? "PENDING");
  const pending = statuses.filter((s) => s === "PENDING").length;
  await pool.query(
    `INSERT INTO "Campaign" (id, "tenantId", name, status, "totalLeads", "pendingCount") VALUES ($1, $2, $1, $3::"CampaignStatus", $4, $5)`,
    [id, tenantId, status, leads.length, pending],
  );
  await pool.query(
    `INSERT INTO "Lead" ("tenantId", "campaignId", line, phone, status, "nextAttemptAt")
     SELECT $1, $2, l.ord + 1, l.phone, l.status::"LeadStatus", CASE WHEN l.status = 'SCHEDULED' THEN now() + interval '1 hour' END
     FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS l(phone, status, ord)`,
    [tenantId, id, leads.map((l) => l.phone), statuses],
  );
  return id;
}

/** Each lead's number, status, reason and next attempt, in line order, with the campaign's counters. */
export async function campaignState(campaignId: string) {
  const pool = pgPool();
  const { rows: leads } = await pool.query(
    `SELECT phone, status, "suppressedReason", "nextAttemptAt" FROM "Lead" WHERE "campaignId" = $1 ORDER BY line`,
    [campaignId],
  );
  const { rows } = await pool.query(
    `SELECT "pendingCount", "suppressedCount", (SELECT count(*) FROM "Lead" l WHERE l."campaignId" = c.id AND l.status = 'PENDING')::int AS "pendingLeads"
     FROM "Campaign" c WHERE id = $1`,
    [campaignId],
  );
  return { leads: leads as { phone: string; status: string; suppressedReason: string | null; nextAttemptAt: Date | null }[], ...(rows[0] as { pendingCount: number; suppressedCount: number; pendingLeads: number }) };
}

/** A valid US number no other test uses: the platform list reaches every tenant, so shared numbers would leak. */
export function uniqueUsNumber() {
  const exchange = 200 + Math.floor(Math.random() * 800);
  const line = Math.floor(Math.random() * 10_000).toString().padStart(4, "0");
  return `+1786${exchange}${line}`;
}

-- Archived campaigns: left out of the lists unless asked for, kept (and exportable) otherwise. A nullable column
-- without a default: adding it rewrites nothing, so the running version keeps working while this applies.
ALTER TABLE "Campaign" ADD COLUMN "archivedAt" TIMESTAMP(3);

-- The archived list and its count ("Show archived (N)"). The list of the others stays on (tenantId, createdAt),
-- read backwards with archivedAt as a filter: IS NULL is no equality to the planner, so an index led by
-- (tenantId, archivedAt) would sort instead.
CREATE INDEX "Campaign_tenantId_archivedAt_idx" ON "Campaign"("tenantId", "archivedAt");

-- Frequency caps per tenant: calls to one number across all of the tenant's campaigns, per rolling 24 h and 30 days.
ALTER TABLE "Tenant" ADD COLUMN "callsPer24h" INTEGER,
ADD COLUMN "callsPer30d" INTEGER;

-- Why a lead waits although it is due (a frequency cap, another call to the same number): shown to the tenant.
ALTER TABLE "Lead" ADD COLUMN "holdReason" TEXT;

-- Attempts to one number in the last 24 h / 30 days: Lead(tenantId, phone) then the lead's attempts by requestedAt.
CREATE INDEX "CallAttempt_leadId_requestedAt_idx" ON "CallAttempt"("leadId", "requestedAt");

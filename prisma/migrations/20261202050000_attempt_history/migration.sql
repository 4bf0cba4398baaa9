-- A campaign's call-attempt history, paged by (leadId, attemptNumber): without the campaign in front, the planner
-- underestimates one campaign's share of the lead-id range and may read the whole range and sort.
CREATE INDEX "CallAttempt_campaignId_leadId_attemptNumber_idx" ON "CallAttempt"("campaignId", "leadId", "attemptNumber");

-- Calling rules: each lead's zones and window key, campaign schedules, platform calling hours, do-not-call lists.

ALTER TYPE "LeadStatus" ADD VALUE 'SUPPRESSED';

CREATE TYPE "ZoneSource" AS ENUM ('FILE', 'PHONE', 'CAMPAIGN');
CREATE TYPE "SuppressionSource" AS ENUM ('MANUAL', 'UPLOAD', 'API', 'OPT_OUT');

ALTER TABLE "Campaign" ADD COLUMN "suppressedCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "timezone" TEXT NOT NULL DEFAULT 'UTC',
ADD COLUMN "scheduleDays" INTEGER[] DEFAULT ARRAY[1, 2, 3, 4, 5, 6, 7]::INTEGER[],
ADD COLUMN "scheduleStart" TEXT,
ADD COLUMN "scheduleEnd" TEXT,
ADD COLUMN "startAt" TIMESTAMP(3),
ADD COLUMN "endAt" TIMESTAMP(3);

ALTER TABLE "Lead" ADD COLUMN "timezones" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "zoneSource" "ZoneSource",
ADD COLUMN "windowKey" TEXT NOT NULL DEFAULT '',
ADD COLUMN "suppressedReason" TEXT;

CREATE TABLE "CampaignWindowKey" (
    "campaignId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "zones" TEXT[],

    CONSTRAINT "CampaignWindowKey_pkey" PRIMARY KEY ("campaignId","key")
);

CREATE TABLE "CallingRule" (
    "country" TEXT NOT NULL,
    "intervals" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CallingRule_pkey" PRIMARY KEY ("country")
);

CREATE TABLE "SuppressedNumber" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" TEXT,
    "phone" TEXT NOT NULL,
    "reason" TEXT,
    "source" "SuppressionSource" NOT NULL DEFAULT 'MANUAL',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SuppressedNumber_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "SuppressedNumber_phone_idx" ON "SuppressedNumber"("phone");
CREATE INDEX "SuppressedNumber_tenantId_createdAt_idx" ON "SuppressedNumber"("tenantId", "createdAt");
-- One entry per number and list; the platform's list is tenantId NULL, hence NULLS NOT DISTINCT.
CREATE UNIQUE INDEX "SuppressedNumber_tenantId_phone_key" ON "SuppressedNumber"("tenantId", "phone") NULLS NOT DISTINCT;

CREATE INDEX "Lead_tenantId_phone_idx" ON "Lead"("tenantId", "phone");
-- The claim's index: only pending leads, so it stays as small as the dialable backlog, ordered by window key then id.
CREATE INDEX "Lead_claim_idx" ON "Lead"("campaignId", "windowKey", "id") WHERE "status" = 'PENDING';

ALTER TABLE "CampaignWindowKey" ADD CONSTRAINT "CampaignWindowKey_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "SuppressedNumber" ADD CONSTRAINT "SuppressedNumber_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Leads imported before this migration keep the legacy key '' (evaluated without zones: open).
INSERT INTO "CampaignWindowKey" ("campaignId", "key", "country", "zones")
SELECT DISTINCT "campaignId", '', '', ARRAY[]::TEXT[] FROM "Lead";

-- A fresh install ships the US federal hours (47 CFR 64.1200(c)(1)) for the US and Canada; a platform admin can change them.
INSERT INTO "CallingRule" ("country", "intervals") VALUES
  ('US', '[{"days":[1,2,3,4,5,6,7],"start":"08:00","end":"21:00"}]'),
  ('CA', '[{"days":[1,2,3,4,5,6,7],"start":"08:00","end":"21:00"}]');

-- AlterEnum
ALTER TYPE "LeadStatus" ADD VALUE 'SCHEDULED';

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "pendingCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "dedicatedLane" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Lead_status_nextAttemptAt_idx" ON "Lead"("status", "nextAttemptAt");


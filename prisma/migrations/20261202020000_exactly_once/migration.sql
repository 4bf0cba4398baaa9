-- AlterTable
ALTER TABLE "CallAttempt" ADD COLUMN     "inDoubtSince" TIMESTAMP(3),
ADD COLUMN     "outcomeAssumed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "providerSeq" INTEGER,
ADD COLUMN     "providerStatus" TEXT,
ADD COLUMN     "requestedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SchedulerLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SchedulerLease_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "CallAttempt_inDoubtSince_idx" ON "CallAttempt"("inDoubtSince");


-- Attempts dialed before this migration were requested when they were dialed.
UPDATE "CallAttempt" SET "requestedAt" = "dialedAt" WHERE "dialedAt" IS NOT NULL;

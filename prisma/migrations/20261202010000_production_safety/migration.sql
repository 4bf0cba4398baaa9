-- Production safety: revocable sessions, tenant approval, destination-country and premium-number controls.
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "passwordChangedAt" TIMESTAMP(3);

ALTER TABLE "Tenant" ADD COLUMN "allowedCountries" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "allowPremiumNumbers" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "approvedAt" TIMESTAMP(3);

-- Tenants that exist already were admitted under the open signup of earlier versions.
UPDATE "Tenant" SET "approvedAt" = "createdAt";

import { countryOptions } from "@/components/campaigns/country-options";
import { NewCampaignForm } from "@/components/campaigns/new-campaign-form";
import { timeZoneOptions } from "@/components/campaigns/time-zone-options";
import { requireMember } from "@/lib/auth/session";
import { platformCallingHours } from "@/lib/campaigns/data";
import { describeCallingHours } from "@/lib/campaigns/schedule-words";
import { env } from "@/lib/env";

export const metadata = { title: "New campaign" };

export default async function NewCampaignPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  await requireMember(tenantId, `/t/${tenantId}/campaigns/new`);
  const callingHours = describeCallingHours(await platformCallingHours());
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">New campaign</h1>
        <p className="mt-1 text-sm text-slate-500">Upload your leads, check how the columns are read, then import.</p>
      </div>
      <NewCampaignForm tenantId={tenantId} countries={countryOptions()} maxBytes={env().IMPORT_MAX_BYTES} zones={timeZoneOptions()} callingHours={callingHours} />
    </div>
  );
}

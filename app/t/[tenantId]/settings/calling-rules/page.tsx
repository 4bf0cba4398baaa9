import { FrequencyCapsForm } from "@/components/settings/frequency-caps-form";
import { PlatformCallingHours } from "@/components/settings/platform-calling-hours";
import { SettingsNav } from "@/components/settings/settings-nav";
import { Card } from "@/components/ui/card";
import { requireMember } from "@/lib/auth/session";
import { PRESETS } from "@/lib/rules/presets";
import { setFrequencyCapsAction } from "@/lib/tenants/actions";
import { getCallingRules } from "@/lib/tenants/data";

export const metadata = { title: "Calling rules" };

export default async function CallingRulesPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const user = await requireMember(tenantId, `/t/${tenantId}/settings/calling-rules`);
  const rules = await getCallingRules(tenantId);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <SettingsNav tenantId={tenantId} active="calling-rules" />
      <p className="max-w-3xl text-sm text-slate-600">
        Two rules decide when a number may be called, on top of each campaign&apos;s own schedule: how often your account calls one number, across all
        your campaigns, and the hours the platform allows calls in each country. A lead that a rule holds back waits as scheduled, with the reason shown
        in its campaign, and is called as soon as the rule allows.
      </p>
      <Card
        title="How often one number may be called"
        description="Counted over a rolling 24 hours and a rolling 30 days, across all your campaigns. Leave a field empty for no limit."
      >
        <FrequencyCapsForm
          caps={{ per24h: rules.callsPer24h, per30d: rules.callsPer30d }}
          presets={PRESETS.map(({ id, label, source, caps }) => ({ id, label, source, caps }))}
          action={user.role === "OWNER" ? setFrequencyCapsAction.bind(null, tenantId) : undefined}
        />
      </Card>
      <Card title="Platform calling hours" description="Set by the platform operator for every account. Each campaign is held to the tighter of these and its own schedule; a country not listed has no platform restriction.">
        <PlatformCallingHours hours={rules.countryHours} />
      </Card>
    </div>
  );
}

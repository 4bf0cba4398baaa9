import Link from "next/link";
import { CallingHours } from "@/components/admin/calling-hours";
import { Card } from "@/components/ui/card";
import { listCallingRules } from "@/lib/admin/data";
import { requirePlatformAdmin } from "@/lib/auth/session";
import { PRESETS } from "@/lib/rules/presets";

export const metadata = { title: "Calling hours" };
export const dynamic = "force-dynamic";

export default async function CallingHoursPage() {
  await requirePlatformAdmin();
  const rules = await listCallingRules();
  return (
    <main className="mx-auto max-w-7xl space-y-6 px-6 py-8">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Calling hours</h1>
        <Link href="/admin" className="text-sm text-indigo-600 hover:underline">Back to admin</Link>
      </div>
      <Card
        title="Platform calling hours per destination country"
        description="In the local time of the person called. Every campaign is held to the tighter of these and its own schedule; a country without a row has no platform restriction. Every change is in the audit log."
      >
        <CallingHours rules={rules.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }))} presets={PRESETS} />
      </Card>
    </main>
  );
}

"use client";
import type { AdminSnapshot } from "@/lib/admin/overview";
import { LiveIndicator } from "../campaigns/live-indicator";
import { Card } from "../ui/card";
import { EnginePanel } from "./engine-panel";
import { FairnessChart } from "./fairness-chart";
import { TenantsTable } from "./tenants-table";
import { useEventSnapshot } from "./use-event-snapshot";

export function AdminDashboard({ initial }: { initial: AdminSnapshot }) {
  const { snapshot, connection } = useEventSnapshot("/api/admin/events", initial);
  const names = Object.fromEntries(snapshot.tenants.map((t) => [t.id, t.name]));
  return (
    <div className="space-y-6">
      <p className="text-xs text-slate-500">
        <LiveIndicator connection={connection} /> · updated {new Date(snapshot.at).toLocaleTimeString("en-GB", { timeZone: "UTC" })} UTC
      </p>
      <EnginePanel engine={snapshot.engine} now={snapshot.at} />
      <Card title="Fairness, last 5 minutes" description="Share of dispatches per tenant in 10-second buckets; beside it, each tenant's share over the last minute and what its weight entitles it to among tenants that are backlogged now.">
        <FairnessChart fairness={snapshot.fairness} names={names} />
      </Card>
      <Card title="Tenants">
        <TenantsTable tenants={snapshot.tenants} laneCallers={snapshot.engine.callers.flatMap((c) => (c.lane ? [c.lane] : []))} platformCountries={snapshot.platform.allowedCountries} />
      </Card>
    </div>
  );
}

import Link from "next/link";
import { SettingsNav } from "@/components/settings/settings-nav";
import { Card } from "@/components/ui/card";
import { EndpointForm } from "@/components/webhooks/endpoint-form";
import { EndpointStatusBadge } from "@/components/webhooks/endpoint-status";
import { requireMember } from "@/lib/auth/session";
import { createEndpointAction } from "@/lib/webhooks/actions";
import { endpointStatus, listEndpoints } from "@/lib/webhooks/data";
import { MAX_ENDPOINTS_PER_TENANT } from "@/lib/webhooks/schema";

export const metadata = { title: "Webhooks" };

export default async function WebhooksPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const basePath = `/t/${tenantId}/settings/webhooks`;
  const user = await requireMember(tenantId, basePath);
  const isOwner = user.role === "OWNER";
  const endpoints = await listEndpoints({ tenantId });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <SettingsNav tenantId={tenantId} active="webhooks" />
      <p className="max-w-3xl text-sm text-slate-600">
        fairdial POSTs each event (a campaign starting or completing, each call starting, answered and ending, a lead suppressed) to your endpoints as it
        happens, signed with the endpoint&apos;s secret. A delivery that does not get a 2xx answer within 10 seconds is retried with growing waits for about a
        day; then the endpoint is marked failing. Each event has an id that stays the same on every retry: use it to ignore repeats.
      </p>
      {isOwner ? (
        <Card title="Add an endpoint" description={`Up to ${MAX_ENDPOINTS_PER_TENANT} endpoints; https only in production, and public addresses only.`}>
          <EndpointForm tenantId={tenantId} action={createEndpointAction.bind(null, tenantId)} />
        </Card>
      ) : (
        <p className="text-sm text-slate-500">Only owners can add or change endpoints.</p>
      )}
      <Card title={`Endpoints (${endpoints.length})`}>
        {endpoints.length === 0 ? (
          <p className="text-sm text-slate-500">No endpoints yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {endpoints.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="endpoint-row">
                <div className="min-w-0">
                  <Link href={`${basePath}/${e.id}`} className="break-all font-mono text-sm text-indigo-700 hover:underline">{e.url}</Link>
                  <p className="text-xs text-slate-500">
                    {e.description ? `${e.description} · ` : ""}
                    {e.events.includes("*") ? "all events" : e.events.join(", ")}
                  </p>
                </div>
                <EndpointStatusBadge status={endpointStatus(e)} />
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

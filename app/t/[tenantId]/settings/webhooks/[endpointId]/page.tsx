import Link from "next/link";
import { notFound } from "next/navigation";
import { SettingsNav } from "@/components/settings/settings-nav";
import { Card } from "@/components/ui/card";
import { EndpointControls, RedeliverButton } from "@/components/webhooks/endpoint-controls";
import { EndpointStatusBadge } from "@/components/webhooks/endpoint-status";
import { requireMember } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { EndpointForm } from "@/components/webhooks/endpoint-form";
import { deleteEndpointAction, redeliverAction, rollSecretAction, setEndpointEnabledAction, updateEndpointAction } from "@/lib/webhooks/actions";
import { deliveryCounts, deliveryLog, endpointStatus, getEndpoint } from "@/lib/webhooks/data";
import { DELIVERY_LOG_LIMIT } from "@/lib/webhooks/schema";

export const metadata = { title: "Webhook endpoint" };

export default async function EndpointPage({ params }: { params: Promise<{ tenantId: string; endpointId: string }> }) {
  const { tenantId, endpointId } = await params;
  const listPath = `/t/${tenantId}/settings/webhooks`;
  const user = await requireMember(tenantId, `${listPath}/${endpointId}`);
  const isOwner = user.role === "OWNER";
  const endpoint = await getEndpoint({ tenantId }, endpointId).catch((err: unknown) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  const [log, counts] = await Promise.all([deliveryLog({ tenantId }, endpointId), deliveryCounts({ tenantId }, endpointId)]);
  const status = endpointStatus(endpoint);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <SettingsNav tenantId={tenantId} active="webhooks" />
      <Link href={listPath} className="text-sm text-indigo-700 hover:underline">← All endpoints</Link>
      <Card title={endpoint.url} description={`${endpoint.description ? `${endpoint.description} · ` : ""}${endpoint.events.includes("*") ? "all events" : endpoint.events.join(", ")}`} actions={<EndpointStatusBadge status={status} />}>
        {status === "failing" && (
          <p className="mb-3 text-sm text-rose-700" data-testid="endpoint-failing">
            A delivery used up its retries on {endpoint.failingSince!.toISOString().slice(0, 16).replace("T", " ")} UTC and none has succeeded since. Fix the
            receiver, then redeliver what it missed.
          </p>
        )}
        <dl className="mb-4 grid max-w-md grid-cols-3 gap-3 text-sm">
          <Stat label="Waiting or retrying" value={counts.PENDING} testId="deliveries-pending" />
          <Stat label="Delivered" value={counts.SUCCEEDED} testId="deliveries-succeeded" />
          <Stat label="Gave up" value={counts.FAILED} testId="deliveries-failed" />
        </dl>
        {isOwner && (
          <EndpointControls
            enabled={endpoint.enabled}
            listPath={listPath}
            actions={{
              setEnabled: setEndpointEnabledAction.bind(null, tenantId, endpointId),
              rollSecret: rollSecretAction.bind(null, tenantId, endpointId),
              remove: deleteEndpointAction.bind(null, tenantId, endpointId),
            }}
          />
        )}
      </Card>
      {isOwner && (
        <Card title="Edit">
          <EndpointForm tenantId={tenantId} action={updateEndpointAction.bind(null, tenantId, endpointId)} current={{ url: endpoint.url, description: endpoint.description, events: endpoint.events }} />
        </Card>
      )}
      <Card title="Delivery log" description={`The last ${DELIVERY_LOG_LIMIT} attempts, newest first.`}>
        {log.length === 0 ? (
          <p className="text-sm text-slate-500">Nothing sent yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="text-left text-xs uppercase text-slate-500">
                <tr><th className="py-2">Time (UTC)</th><th>Event</th><th>Attempt</th><th>Answer</th><th>Latency</th><th>Response</th><th /></tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {log.map((e) => (
                  <tr key={e.attemptId} data-testid="delivery-row" className="align-top">
                    <td className="whitespace-nowrap py-2">{e.at.slice(0, 19).replace("T", " ")}</td>
                    <td><code>{e.eventType}</code><div className="font-mono text-xs text-slate-400">{e.eventId}</div></td>
                    <td>#{e.attemptNumber}</td>
                    <td data-testid="delivery-status" className={e.statusCode !== null && e.statusCode < 300 ? "text-emerald-700" : "text-rose-700"}>
                      {e.statusCode ?? "—"}
                      {e.error && <div className="text-xs">{e.error}</div>}
                      {e.deliveryStatus === "PENDING" && e.nextAttemptAt && <div className="text-xs text-slate-500">retry at {e.nextAttemptAt.slice(11, 19)}</div>}
                    </td>
                    <td className="tabular-nums">{e.latencyMs} ms</td>
                    <td className="max-w-xs truncate font-mono text-xs text-slate-500" title={e.responseSnippet ?? undefined}>{e.responseSnippet ?? ""}</td>
                    <td className="text-right">{isOwner && endpoint.enabled && <RedeliverButton action={redeliverAction.bind(null, tenantId, endpointId, e.deliveryId)} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-slate-50 px-3 py-2">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-xl font-semibold tabular-nums" data-testid={testId}>{value.toLocaleString("en-US")}</dd>
    </div>
  );
}

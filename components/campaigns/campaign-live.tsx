"use client";
import type { CampaignStatus } from "@prisma/client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useTransition } from "react";
import type { CampaignProgress } from "@/lib/campaigns/progress";
import { heldWaiting, whyNotDialing, windowWaiting } from "@/lib/campaigns/why-not-dialing";
import { Card } from "../ui/card";
import { CallsChart } from "./calls-chart";
import { CampaignControls } from "./campaign-controls";
import { CampaignHousekeeping } from "./campaign-housekeeping";
import { formatClock, formatCount, formatDate, formatDuration } from "./format";
import { LiveIndicator } from "./live-indicator";
import { ProgressBar } from "./progress-bar";
import { CampaignStatusBadge } from "./status-badge";
import { StatusCounters } from "./status-counters";
import { useLiveSnapshot } from "./use-live-snapshot";
import { LEAD_STATUSES } from "@/lib/campaigns/schema";
import { useMounted } from "./use-mounted";
import { useNow } from "./use-now";

export interface CampaignInfo {
  id: string;
  name: string;
  createdAt: string;
  rejectedCount: number;
  duplicateCount: number;
  /** The schedule's zone and instants (ISO): "scheduled to start at …" in the campaign's own zone. */
  timezone: string;
  startAt: string | null;
  endAt: string | null;
  /** ISO; archived campaigns are left out of the lists and cannot be started or resumed. */
  archivedAt: string | null;
}

/**
 * Everything on the campaign page that moves: header status and controls, why nothing is dialed, counters, stats
 * and the chart. `children` is the lead table, a server-rendered page of rows: it says when it has fallen behind
 * the counters instead of re-rendering the page on every change. `schedule` is the schedule card, placed here.
 */
export function CampaignLive({
  tenantId,
  campaign,
  initial,
  renderedAt,
  schedule,
  children,
}: {
  tenantId: string;
  campaign: CampaignInfo;
  initial: CampaignProgress;
  /** The server's clock at render (ms), so the first render in the browser says what the server said. */
  renderedAt: number;
  schedule?: React.ReactNode;
  children?: React.ReactNode;
}) {
  const { snapshot: p, setSnapshot, connection } = useLiveSnapshot(`/api/campaigns/${campaign.id}/events`, initial);
  const router = useRouter();
  const mounted = useMounted();
  const now = useNow(renderedAt);
  const [refreshing, startRefresh] = useTransition();
  const tableBehind = LEAD_STATUSES.some((s) => p.counts[s] !== initial.counts[s]);
  const finished = p.status === "COMPLETED" || p.status === "CANCELLED";
  const refreshedWhenFinished = useRef(finished);
  useEffect(() => {
    // One automatic refresh when the campaign ends, so the table shows final outcomes without a click.
    if (finished && !refreshedWhenFinished.current) {
      refreshedWhenFinished.current = true;
      startRefresh(() => router.refresh());
    }
  }, [finished, router]);
  const setStatus = (status: CampaignStatus) => setSnapshot((s) => ({ ...s, status, etaSeconds: status === "RUNNING" ? s.etaSeconds : null }));
  const callsRecent = p.callsPerMinute.reduce((sum, b) => sum + b.calls, 0);
  const notYetCalled = p.counts.PENDING + p.counts.SCHEDULED;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex items-center gap-3">
            <h1 className="truncate text-2xl font-semibold">{campaign.name}</h1>
            <CampaignStatusBadge status={p.status} testId="campaign-status" />
            {campaign.archivedAt && (
              <span data-testid="campaign-archived" className="inline-flex items-center rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-inset ring-slate-300">
                Archived
              </span>
            )}
          </div>
          <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-500">
            <span>Created {formatDate(campaign.createdAt)}</span>
            {campaign.archivedAt && <span>Archived {formatDate(campaign.archivedAt)}: not in your campaign list</span>}
            <span>{formatCount(p.total)} leads</span>
            <LiveIndicator connection={connection} />
          </p>
          <div className="mt-3 flex flex-wrap gap-2 text-sm">
            <DownloadLink href={`/api/campaigns/${campaign.id}/export`}>Export results (CSV)</DownloadLink>
            <DownloadLink href={`/api/campaigns/${campaign.id}/attempts/export`}>Call attempts (CSV)</DownloadLink>
            <DownloadLink href={`/api/campaigns/${campaign.id}/rejected`}>Rejected rows (CSV){campaign.rejectedCount ? ` · ${formatCount(campaign.rejectedCount)}` : ""}</DownloadLink>
          </div>
        </div>
        <div className="flex flex-col items-end gap-2">
          <CampaignControls tenantId={tenantId} campaignId={campaign.id} status={p.status} archived={campaign.archivedAt !== null} pendingLeads={notYetCalled} onStatus={setStatus} />
          <CampaignHousekeeping tenantId={tenantId} campaignId={campaign.id} name={campaign.name} status={p.status} archived={campaign.archivedAt !== null} />
        </div>
      </div>

      <DialingState p={p} campaign={campaign} now={now} />

      <Card title="Progress">
        <ProgressBar done={p.terminal} total={p.total} label="Campaign progress" />
        <div className="mt-5">
          <StatusCounters counts={p.counts} />
        </div>
      </Card>

      <div className="grid gap-4 sm:grid-cols-3">
        <Stat label="Time to first call" testId="time-to-first-call" value={firstCallText(p)} />
        <Stat label="Estimated time to finish" testId="eta" value={etaText(p, mounted)} />
        <Stat label="Calls in the last 15 minutes" testId="calls-recent" value={formatCount(callsRecent)} />
      </div>

      {schedule}

      <Card title="Calls per minute" description="Calls dialed in each of the last 15 minutes.">
        <CallsChart buckets={p.callsPerMinute} />
      </Card>

      {(campaign.rejectedCount > 0 || campaign.duplicateCount > 0) && <p className="text-sm text-slate-500">{importNote(campaign)}</p>}

      {children && (
        <div className="space-y-2">
          {tableBehind && (
            <div role="status" className="flex items-center justify-between gap-3 rounded-md border border-indigo-200 bg-indigo-50 px-4 py-2 text-sm text-indigo-900">
              <span>Lead statuses have changed since the table below was loaded.</span>
              <button type="button" className="font-medium text-indigo-700 hover:underline disabled:text-indigo-400" disabled={refreshing} onClick={() => startRefresh(() => router.refresh())}>
                {refreshing ? "Refreshing…" : "Refresh table"}
              </button>
            </div>
          )}
          {children}
        </div>
      )}
    </div>
  );
}

/** Why nothing is dialed, who waits for a window or is held back, who is never called: only what applies. */
function DialingState({ p, campaign, now }: { p: CampaignProgress; campaign: CampaignInfo; now: number }) {
  const why = whyNotDialing(p, campaign, now);
  const waiting = windowWaiting(p, now);
  const held = heldWaiting(p, campaign, now);
  const suppressed = p.counts.SUPPRESSED;
  if (!why && !waiting && !held && suppressed === 0) return null;
  return (
    <div role="status" className={`space-y-1 rounded-lg border px-4 py-3 text-sm ${why ? "border-amber-200 bg-amber-50 text-amber-900" : "border-slate-200 bg-white text-slate-700"}`}>
      {why && <p className="font-medium" data-testid="why-not-dialing">{why}</p>}
      {waiting && <p data-testid="window-waiting">{waiting}</p>}
      {held && <p data-testid="held-note">{held}</p>}
      {suppressed > 0 && (
        <p data-testid="suppressed-note">
          {formatCount(suppressed)} {suppressed === 1 ? "lead is" : "leads are"} on a do-not-call list and will not be called.
        </p>
      )}
    </div>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-lg font-semibold text-slate-900" data-testid={testId}>{value}</p>
    </div>
  );
}

function DownloadLink({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <a href={href} download className="inline-flex items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 py-1 text-slate-700 hover:bg-slate-100">
      <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4 text-slate-400" fill="currentColor">
        <path d="M10 3a1 1 0 0 1 1 1v7.59l2.3-2.3a1 1 0 1 1 1.4 1.42l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.42L9 11.6V4a1 1 0 0 1 1-1ZM4 16a1 1 0 1 0 0 2h12a1 1 0 1 0 0-2H4Z" />
      </svg>
      {children}
    </a>
  );
}

function importNote({ rejectedCount, duplicateCount }: CampaignInfo) {
  const parts = [
    rejectedCount > 0 && `${formatCount(rejectedCount)} rejected ${rejectedCount === 1 ? "row" : "rows"}`,
    duplicateCount > 0 && `${formatCount(duplicateCount)} duplicate phone ${duplicateCount === 1 ? "number" : "numbers"}`,
  ].filter(Boolean);
  return `The import left out ${parts.join(" and ")}.`;
}

function firstCallText(p: CampaignProgress) {
  if (p.timeToFirstCallMs !== null) {
    const s = p.timeToFirstCallMs / 1000;
    return s < 10 ? `${s.toFixed(1)} s` : formatDuration(s);
  }
  if (!p.startedAt) return "Not started yet";
  if (p.status === "RUNNING") return "Waiting for the first call…";
  return "No call was made";
}

function etaText(p: CampaignProgress, mounted: boolean) {
  const retries = p.counts.SCHEDULED > 0 && p.nextRetryAt ? `retries from ${mounted ? formatClock(p.nextRetryAt) : "later"}` : null;
  switch (p.status) {
    case "DRAFT":
      return "Not started yet";
    case "PAUSED":
      return "Paused";
    case "CANCELLED":
      return "Cancelled";
    case "COMPLETED":
      return "Finished";
    case "RUNNING":
      if (p.etaSeconds === null) return "Estimating…";
      if (p.etaSeconds === 0) return retries ? `Waiting for ${retries}` : "Finishing…";
      return `About ${formatDuration(p.etaSeconds)}${retries ? `, then ${retries}` : ""}`;
  }
}

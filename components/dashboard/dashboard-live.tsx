"use client";
import Link from "next/link";
import type { TenantProgress } from "@/lib/campaigns/progress";
import { Card } from "../ui/card";
import { formatCount } from "../campaigns/format";
import { LiveIndicator } from "../campaigns/live-indicator";
import { useLiveSnapshot } from "../campaigns/use-live-snapshot";
import { CampaignList } from "./campaign-list";
import { DispatchStatus } from "./dispatch-status";

/** `showingArchived`: the page lists the archived campaigns below, so the link hides them again. */
export function DashboardLive({ tenantId, initial, showingArchived = false }: { tenantId: string; initial: TenantProgress; showingArchived?: boolean }) {
  const { snapshot: d, connection } = useLiveSnapshot("/api/dashboard/events", initial);
  const cap = d.maxConcurrent;
  const usedPct = cap ? Math.min(100, (d.linesInUse / cap) * 100) : 0;
  return (
    <div className="space-y-6">
      <div className="grid gap-4 sm:grid-cols-3">
        <Tile label="Lines in use" testId="lines-in-use" value={cap === null ? `${formatCount(d.linesInUse)} ${d.linesInUse === 1 ? "line" : "lines"} in use` : `${formatCount(d.linesInUse)} of ${formatCount(cap)} lines in use`}>
          {cap === null ? (
            <p className="mt-1 text-xs text-slate-500" data-testid="lines-cap">No cap on concurrent calls: unlimited</p>
          ) : (
            <div className="mt-2 h-1.5 overflow-hidden rounded-full bg-slate-100" aria-hidden>
              <div className={`h-full rounded-full ${usedPct >= 100 ? "bg-amber-500" : "bg-indigo-500"}`} style={{ width: `${usedPct}%` }} />
            </div>
          )}
        </Tile>
        <Tile label="Calls dialed today" testId="calls-today" value={formatCount(d.callsToday)}>
          <p className="mt-1 text-xs text-slate-500">Since midnight UTC</p>
        </Tile>
        <Tile label="Minutes talked today" testId="minutes-today" value={formatMinutes(d.talkSecondsToday)}>
          <p className="mt-1 text-xs text-slate-500">Answered calls, since midnight UTC</p>
        </Tile>
      </div>

      <DispatchStatus idle={d.idle} linesInUse={d.linesInUse} />

      <Card title="Campaigns" actions={<LiveIndicator connection={connection} />}>
        {d.campaigns.length === 0 && d.archivedCount > 0 ? (
          <p className="text-sm text-slate-500">Every campaign is archived.</p>
        ) : (
          <CampaignList tenantId={tenantId} campaigns={d.campaigns} />
        )}
        {(d.archivedCount > 0 || showingArchived) && (
          <Link href={showingArchived ? `/t/${tenantId}` : `/t/${tenantId}?archived=1`} scroll={false} className="mt-4 inline-block text-sm font-medium text-indigo-700 hover:underline">
            {showingArchived ? "Hide archived" : `Show archived (${formatCount(d.archivedCount)})`}
          </Link>
        )}
      </Card>
    </div>
  );
}

function Tile({ label, value, testId, children }: { label: string; value: string; testId: string; children?: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-xl font-semibold tabular-nums text-slate-900" data-testid={testId}>{value}</p>
      {children}
    </div>
  );
}

/** Tenths of a minute while short, so a morning of brief calls does not read as zero. */
function formatMinutes(seconds: number) {
  const minutes = seconds / 60;
  if (minutes === 0) return "0";
  return minutes < 10 ? minutes.toFixed(1) : formatCount(Math.round(minutes));
}

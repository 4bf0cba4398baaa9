"use client";
import type { AttemptJson } from "@/lib/attempts/attempt-json";
import { formatCallLength } from "./format";
import { OUTCOME_LABEL } from "./lead-status";
import { useBrowserTimeZone } from "./use-browser-time-zone";
import { useMounted } from "./use-mounted";

/**
 * A lead's call attempts, oldest first, with times in the viewer's own zone. The server cannot know that zone,
 * so the server render and hydration show UTC, and the browser's zone follows right after.
 */
export function AttemptTimeline({ attempts }: { attempts: AttemptJson[] }) {
  const mounted = useMounted();
  const zone = useBrowserTimeZone();
  const when = (iso: string | null) => (iso ? <time dateTime={iso}>{formatInstant(iso, mounted ? undefined : "UTC")}</time> : <span className="text-slate-400">—</span>);
  return (
    <section className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-3 border-b border-slate-200 px-5 py-4">
        <h2 className="text-base font-semibold">Call attempts</h2>
        <p className="text-xs text-slate-500" data-testid="attempt-zone">Times in {mounted ? `your time zone (${zone.replaceAll("_", " ")})` : "UTC"}</p>
      </div>
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm" aria-label="Call attempts">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-5 py-2 text-right font-medium">#</th>
              <th scope="col" className="px-3 py-2 font-medium">Queued</th>
              <th scope="col" className="px-3 py-2 font-medium">Dialed</th>
              <th scope="col" className="px-3 py-2 font-medium">Answered</th>
              <th scope="col" className="px-3 py-2 font-medium">Ended</th>
              <th scope="col" className="px-3 py-2 font-medium">Outcome</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Call length</th>
              <th scope="col" className="px-5 py-2 font-medium">Provider call id</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {attempts.map((a) => (
              <tr key={a.id} data-testid="attempt-row">
                <td className="px-5 py-2 text-right tabular-nums text-slate-500">{a.attemptNumber}</td>
                <td className="whitespace-nowrap px-3 py-2 tabular-nums text-slate-700">{when(a.queuedAt)}</td>
                <td className="whitespace-nowrap px-3 py-2 tabular-nums text-slate-700">{when(a.dialedAt)}</td>
                <td className="whitespace-nowrap px-3 py-2 tabular-nums text-slate-700">{when(a.answeredAt)}</td>
                <td className="whitespace-nowrap px-3 py-2 tabular-nums text-slate-700">{when(a.endedAt)}</td>
                <td className="px-3 py-2 text-slate-700" data-testid="attempt-outcome">
                  <span className="block">{outcomeText(a)}</span>
                  {a.outcomeAssumed && <span className="block text-xs text-amber-700">assumed by fairdial, not reported by the provider</span>}
                  {a.inDoubt && (
                    <span className="mt-0.5 inline-flex rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800" data-testid="attempt-in-doubt">
                      In doubt: waiting for the provider to say whether the call was placed
                    </span>
                  )}
                  {a.error && <span className="block max-w-72 truncate text-xs text-rose-700" title={a.error}>{a.error}</span>}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{formatCallLength(a.durationSec)}</td>
                <td className="px-5 py-2 font-mono text-xs text-slate-600">{a.providerCallId ?? <span className="text-slate-400">—</span>}</td>
              </tr>
            ))}
            {attempts.length === 0 && (
              <tr>
                <td colSpan={8} className="px-5 py-6 text-center text-slate-500">This lead has not been called yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function outcomeText(a: AttemptJson) {
  if (a.outcome) return OUTCOME_LABEL[a.outcome] ?? a.outcome;
  if (a.inDoubt) return "Unknown yet";
  return a.dialedAt ? "In progress" : "Queued";
}

/** Date and time to the second; in `timeZone` when given (the server render), else in the browser's zone. */
function formatInstant(iso: string, timeZone?: string) {
  return new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", ...(timeZone ? { timeZone } : {}) });
}

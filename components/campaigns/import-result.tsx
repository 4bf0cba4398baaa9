import Link from "next/link";
import type { ImportResult } from "@/lib/imports/schema";
import { Button } from "../ui/button";
import { formatCount } from "./format";

export function ImportResultPanel({ tenantId, result, onAnother }: { tenantId: string; result: ImportResult; onAnother: () => void }) {
  const stats = [
    { label: "Leads imported", value: result.imported, testId: "result-imported", tone: "text-emerald-700" },
    { label: "Rows rejected", value: result.rejected, testId: "result-rejected", tone: result.rejected ? "text-rose-700" : "text-slate-900" },
    { label: "Duplicates skipped", value: result.duplicates, testId: "result-duplicates", tone: "text-slate-900" },
  ];
  return (
    <div className="space-y-5" role="status" aria-live="polite">
      <div>
        <h2 className="text-lg font-semibold">Campaign created</h2>
        <p className="text-sm text-slate-500">It is a draft: nothing is dialed until you start it on the campaign page.</p>
      </div>
      <dl className="grid gap-3 sm:grid-cols-3">
        {stats.map((s) => (
          <div key={s.testId} className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-3">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{s.label}</dt>
            <dd className={`mt-1 text-2xl font-semibold tabular-nums ${s.tone}`} data-testid={s.testId}>{formatCount(s.value)}</dd>
          </div>
        ))}
      </dl>
      {result.rejected > 0 && (
        <p className="text-sm text-slate-600">
          Rejected rows were left out; the file lists each one with its line number and the reason.{" "}
          <a className="font-medium text-indigo-600 hover:underline" href={`/api/campaigns/${result.campaignId}/rejected`} download>
            Download rejected rows
          </a>
        </p>
      )}
      {result.duplicates > 0 && <p className="text-sm text-slate-600">Duplicates are later rows with a phone number already in the file; only the first is kept.</p>}
      {result.ignoredTimeZones > 0 && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="result-ignored-zones">
          {ignoredZonesNote(result)}
        </p>
      )}
      <div className="flex flex-wrap gap-3">
        <Link href={`/t/${tenantId}/campaigns/${result.campaignId}`} className="inline-flex items-center rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-indigo-500">
          Open campaign
        </Link>
        <Button type="button" variant="secondary" onClick={onAnother}>Import another file</Button>
      </div>
    </div>
  );
}

/** "2 rows have a time zone that is not an IANA name such as America/Chicago (line 4: "EST", line 9: "Mars/Olympus"). They were imported …" */
function ignoredZonesNote({ ignoredTimeZones: n, ignoredTimeZoneSamples: samples }: ImportResult) {
  const listed = samples.map((s) => `line ${s.line}: "${s.value}"`).join(", ");
  const more = n > samples.length ? ` and ${formatCount(n - samples.length)} more` : "";
  return `${formatCount(n)} ${n === 1 ? "row has a time zone that is" : "rows have a time zone that is"} not an IANA name such as America/Chicago (${listed}${more}). ${n === 1 ? "It was" : "They were"} imported with the zone of the phone number instead, or the campaign's when the number does not tell.`;
}

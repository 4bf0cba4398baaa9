"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { SUPPRESSION_CSV_MAX_BYTES, SUPPRESSION_CSV_MAX_ROWS, type SuppressionImportResult } from "@/lib/suppressions/schema";
import { SubmitButton } from "../ui/submit-button";
import { FormMessage } from "../ui/field";
import { submitForm } from "../ui/form-submit";
import { CountrySelect } from "./add-number-form";

const MAX_SIZE = `${SUPPRESSION_CSV_MAX_BYTES / (1024 * 1024)} MB`;

/** Sends the file as the raw request body (text/csv): the server reads it under its 5 MB limit, all or nothing. */
export function UploadNumbersForm({ uploadUrl }: { uploadUrl: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<SuppressionImportResult | null>(null);

  async function upload(form: FormData) {
    const file = form.get("file");
    setResult(null);
    if (!(file instanceof File) || file.size === 0) return setError("Choose a CSV file to upload.");
    if (file.size > SUPPRESSION_CSV_MAX_BYTES) return setError(`The file is larger than ${MAX_SIZE}; split it into smaller files.`);
    setBusy(true);
    setError(null);
    try {
      const country = encodeURIComponent(String(form.get("defaultCountry") ?? "US"));
      const res = await fetch(`${uploadUrl}?defaultCountry=${country}`, { method: "POST", headers: { "content-type": "text/csv" }, body: file });
      const body = await res.json().catch(() => null);
      if (!res.ok) return setError(failureMessage(res.status, body));
      setResult(body as SuppressionImportResult);
      router.refresh();
      return true;
    } catch {
      setError("The upload was interrupted. Check your connection and try again; nothing was added.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submitForm(upload)} className="space-y-3" aria-label="Upload a CSV of numbers">
      <p className="text-sm text-slate-500">
        A column named <code>phone</code> or <code>number</code> (and optionally <code>reason</code>), or one column of numbers without a header. At most{" "}
        {MAX_SIZE} and {SUPPRESSION_CSV_MAX_ROWS.toLocaleString("en-US")} rows; a file over the limits adds nothing.
      </p>
      <div className="grid items-end gap-3 sm:grid-cols-[1fr_12rem_auto]">
        <label className="block text-sm">
          <span className="font-medium text-slate-700">CSV file</span>
          <input type="file" name="file" accept=".csv,.txt,text/csv,text/plain" className="mt-1 block w-full text-sm" data-testid="dnc-file" />
        </label>
        <CountrySelect />
        <SubmitButton variant="secondary" disabled={busy}>{busy ? "Uploading…" : "Upload"}</SubmitButton>
      </div>
      <FormMessage message={error} />
      {result && <UploadResult result={result} />}
    </form>
  );
}

function UploadResult({ result }: { result: SuppressionImportResult }) {
  const stats = [
    { label: "Added", value: result.added, testId: "dnc-added" },
    { label: "Already listed", value: result.alreadyListed, testId: "dnc-already-listed" },
    { label: "Rejected", value: result.rejectedCount, testId: "dnc-rejected" },
    { label: "Leads suppressed", value: result.leadsSuppressed, testId: "dnc-leads-suppressed" },
  ];
  return (
    <div className="space-y-3" role="status" aria-live="polite">
      <dl className="grid gap-3 sm:grid-cols-4">
        {stats.map((s) => (
          <div key={s.testId} className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-3">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{s.label}</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={s.testId}>{s.value.toLocaleString("en-US")}</dd>
          </div>
        ))}
      </dl>
      {result.rejected.length > 0 && (
        <div className="text-sm">
          <p className="text-slate-600">
            Rejected lines{result.rejectedCount > result.rejected.length ? ` (the first ${result.rejected.length} of ${result.rejectedCount.toLocaleString("en-US")})` : ""}:
          </p>
          <ul className="mt-1 max-h-48 overflow-y-auto rounded border border-slate-200 bg-white px-3 py-2 font-mono text-xs">
            {result.rejected.map((r, i) => (
              <li key={`${r.line ?? ""}-${i}`}>
                {r.line !== undefined && <span className="text-slate-400">line {r.line}: </span>}
                {r.input || "(empty)"} — {r.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function failureMessage(status: number, body: unknown) {
  const error = (body as { error?: { message?: string; line?: number } } | null)?.error;
  if (status === 401) return "Your session has ended. Sign in again, then retry.";
  if (!error?.message) return `The server could not process the file (HTTP ${status}). Nothing was added.`;
  const message = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  return `${message}. Nothing was added.`;
}

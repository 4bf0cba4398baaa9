"use client";
import { useRef, useState } from "react";
import { fieldErrorsOf } from "@/lib/actions/result";
import { ALL_DAYS, scheduleFormSchema } from "@/lib/campaigns/schedule-form";
import { importOptionsSchema, type ImportResult } from "@/lib/imports/schema";
import { SubmitButton } from "../ui/submit-button";
import { Card } from "../ui/card";
import { Field, FormMessage, SelectField } from "../ui/field";
import { ColumnMapping, type MappingChoice } from "./column-mapping";
import { CsvDropZone } from "./csv-drop-zone";
import { formatFileSize } from "./format";
import { ImportResultPanel } from "./import-result";
import { draftToFields, ScheduleFields, type ScheduleDraft } from "./schedule-fields";
import { previewCsv, uploadCampaign, type CsvPreview } from "./upload-request";
import { useBrowserTimeZone } from "./use-browser-time-zone";

type Phase = { kind: "choosing" } | { kind: "previewing" } | { kind: "uploading"; fraction: number } | { kind: "done"; result: ImportResult };

const NO_MAPPING: MappingChoice = { phoneColumn: "", nameColumn: "", timezoneColumn: "" };
/** No zone chosen yet: the browser's own is shown and sent. */
const OPEN_DRAFT: ScheduleDraft = { timezone: "", days: ALL_DAYS, start: "", end: "", startAt: "", endAt: "" };

export function NewCampaignForm({
  tenantId,
  countries,
  maxBytes,
  zones,
  callingHours,
}: {
  tenantId: string;
  countries: { code: string; name: string }[];
  maxBytes: number;
  zones: string[];
  /** The platform's calling hours in words; null when none are set. */
  callingHours: string | null;
}) {
  const [phase, setPhase] = useState<Phase>({ kind: "choosing" });
  const [name, setName] = useState("");
  const [country, setCountry] = useState("US");
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [mapping, setMapping] = useState<MappingChoice>(NO_MAPPING);
  const [draft, setDraft] = useState<ScheduleDraft>(OPEN_DRAFT);
  const browserZone = useBrowserTimeZone();
  const schedule = { ...draft, timezone: draft.timezone || browserZone };
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const chosen = useRef(0);
  const autoName = useRef("");

  async function choose(next: File) {
    const ticket = ++chosen.current;
    setFile(next);
    setPreview(null);
    setMapping(NO_MAPPING);
    setErrors({});
    setMessage(null);
    // The name follows the file until the user types one of their own.
    if (!name.trim() || name === autoName.current) {
      autoName.current = next.name.replace(/\.(csv|txt)$/i, "").slice(0, 120);
      setName(autoName.current);
    }
    if (next.size > maxBytes) {
      setMessage(`This file is ${formatFileSize(next.size)}; the limit is ${formatFileSize(maxBytes)}. Split it into smaller files.`);
      return;
    }
    setPhase({ kind: "previewing" });
    const res = await previewCsv(next);
    if (ticket !== chosen.current) return; // another file was chosen meanwhile
    setPhase({ kind: "choosing" });
    if (!res.ok) return setMessage(`This file can't be imported: ${res.message}`);
    setPreview(res.preview);
    const guess = res.preview.mapping;
    setMapping({ phoneColumn: guess.phoneColumn ?? "", nameColumn: guess.nameColumn ?? "", timezoneColumn: guess.timezoneColumn ?? "" });
  }

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setMessage(null);
    if (!file || !preview) return setErrors({ file: ["Choose a CSV file"] });
    const options = {
      name,
      defaultCountry: country,
      mapping: { phoneColumn: mapping.phoneColumn, nameColumn: mapping.nameColumn || undefined, timezoneColumn: mapping.timezoneColumn || undefined },
    };
    const checked = importOptionsSchema.safeParse(options);
    const scheduleFields = draftToFields(schedule);
    // The server's own reading of the schedule fields, so the messages match; all fields' errors at once.
    const scheduleChecked = scheduleFormSchema.safeParse(scheduleFields);
    if (!checked.success || !scheduleChecked.success) {
      return setErrors({ ...(checked.success ? {} : fieldErrorsOf(checked.error)), ...(scheduleChecked.success ? {} : fieldErrorsOf(scheduleChecked.error)) });
    }
    setErrors({});
    const form = new FormData();
    form.append("name", checked.data.name);
    form.append("defaultCountry", checked.data.defaultCountry);
    form.append("phoneColumn", mapping.phoneColumn);
    form.append("nameColumn", mapping.nameColumn);
    form.append("timezoneColumn", mapping.timezoneColumn);
    for (const [field, value] of Object.entries(scheduleFields)) form.append(field, value);
    form.append("file", file); // last: the server streams it after reading the fields
    setPhase({ kind: "uploading", fraction: 0 });
    const res = await uploadCampaign(form, (fraction) => setPhase({ kind: "uploading", fraction }));
    if (res.ok) return setPhase({ kind: "done", result: res.result });
    setPhase({ kind: "choosing" });
    setErrors(res.fields ?? {});
    setMessage(res.status === 413 || res.status === 422 ? `This file can't be imported: ${res.message}. Nothing was imported.` : res.message);
  }

  function reset() {
    chosen.current++;
    autoName.current = "";
    setPhase({ kind: "choosing" });
    setName("");
    setFile(null);
    setPreview(null);
    setMapping(NO_MAPPING);
    setMessage(null);
  }

  if (phase.kind === "done") {
    return (
      <Card>
        <ImportResultPanel tenantId={tenantId} result={phase.result} onAnother={reset} />
      </Card>
    );
  }

  const busy = phase.kind === "uploading";
  return (
    <form onSubmit={submit} className="space-y-6" noValidate>
      <Card title="Campaign" description="Leads are imported as a draft; you start dialing from the campaign page.">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Campaign name" name="name" value={name} onChange={(e) => setName(e.currentTarget.value)} errors={errors.name} maxLength={120} disabled={busy} required />
          <SelectField label="Default country" name="defaultCountry" value={country} onChange={(e) => setCountry(e.currentTarget.value)} errors={errors.defaultCountry} disabled={busy}>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>{c.name} ({c.code})</option>
            ))}
          </SelectField>
        </div>
        <p className="mt-2 text-xs text-slate-500">The default country is used for numbers written without a country code, like (212) 555-0140.</p>
      </Card>

      <Card title="Leads" description={`A CSV with a header row and one lead per line, up to ${formatFileSize(maxBytes)}.`}>
        <CsvDropZone file={file} onFile={choose} disabled={busy} />
        {errors.file && <p role="alert" className="mt-1 text-xs text-rose-600">{errors.file.join(" ")}</p>}
        {phase.kind === "previewing" && <p className="mt-3 text-sm text-slate-500" role="status">Reading the first rows…</p>}
        {preview && (
          <div className="mt-6">
            <ColumnMapping preview={preview} value={mapping} onChange={setMapping} errors={errors} disabled={busy} />
          </div>
        )}
      </Card>

      <Card title="Calling schedule" description="When leads may be called, in each lead's own time zone. Leave it as it is to call any day, at any hour the platform allows.">
        <div data-testid="schedule-fields">
          <ScheduleFields value={schedule} onChange={setDraft} zones={zones} callingHours={callingHours} errors={errors} disabled={busy} />
        </div>
      </Card>

      <FormMessage message={message} />

      {busy && <UploadProgress fraction={phase.fraction} />}

      <div className="flex items-center gap-3">
        <SubmitButton disabled={busy || !preview}>{busy ? "Importing…" : "Import leads"}</SubmitButton>
        {!preview && !busy && <span className="text-sm text-slate-500">Choose a file to see its columns first.</span>}
      </div>
    </form>
  );
}

function UploadProgress({ fraction }: { fraction: number }) {
  const pct = Math.round(fraction * 100);
  const uploaded = fraction >= 1;
  return (
    <div className="rounded-lg border border-indigo-100 bg-indigo-50 px-4 py-3">
      <div className="mb-2 flex justify-between text-sm text-indigo-900">
        <span>{uploaded ? "Checking and saving every row…" : "Uploading…"}</span>
        <span className="tabular-nums">{pct}%</span>
      </div>
      <div role="progressbar" aria-label="Upload progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="h-2 overflow-hidden rounded-full bg-indigo-100">
        <div className={`h-full rounded-full bg-indigo-500 transition-[width] ${uploaded ? "animate-pulse" : ""}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

"use client";
import { variableColumns } from "@/lib/imports/mapping";
import { SelectField } from "../ui/field";
import type { CsvPreview } from "./upload-request";

export interface MappingChoice {
  phoneColumn: string;
  nameColumn: string;
  timezoneColumn: string;
}

const DELIMITER_NAME = { ",": "comma", ";": "semicolon", "\t": "tab" } as const;

/** Which column is what, with the file's first rows underneath so the choice can be checked by eye. */
export function ColumnMapping({ preview, value, onChange, errors, disabled }: { preview: CsvPreview; value: MappingChoice; onChange: (next: MappingChoice) => void; errors: Record<string, string[]>; disabled?: boolean }) {
  const { headers, rows } = preview;
  const mapping = { phoneColumn: value.phoneColumn || undefined, nameColumn: value.nameColumn || undefined, timezoneColumn: value.timezoneColumn || undefined };
  const variables = variableColumns(headers, mapping);
  const role = (h: string) => (h === value.phoneColumn ? "Phone" : h === value.nameColumn ? "Name" : h === value.timezoneColumn ? "Time zone" : "Variable");
  const set = (key: keyof MappingChoice) => (e: React.ChangeEvent<HTMLSelectElement>) => onChange({ ...value, [key]: e.currentTarget.value });

  return (
    <div className="space-y-5">
      {!preview.mapping.phoneColumn && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          No column is named like a phone number (phone, mobile, number…). Choose the column that holds the phone numbers.
        </p>
      )}
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField label="Phone column" name="phoneColumn" value={value.phoneColumn} disabled={disabled} onChange={set("phoneColumn")} errors={errors["mapping.phoneColumn"] ?? errors.mapping}>
          {!value.phoneColumn && <option value="">Choose a column…</option>}
          {headers.map((h) => <option key={h} value={h}>{h}</option>)}
        </SelectField>
        <SelectField label="Name column (optional)" name="nameColumn" value={value.nameColumn} disabled={disabled} onChange={set("nameColumn")} errors={errors["mapping.nameColumn"]}>
          <option value="">No name column</option>
          {headers.map((h) => <option key={h} value={h}>{h}</option>)}
        </SelectField>
        <SelectField label="Time zone column (optional)" name="timezoneColumn" value={value.timezoneColumn} disabled={disabled} onChange={set("timezoneColumn")} errors={errors["mapping.timezoneColumn"]}>
          <option value="">No time zone column</option>
          {headers.map((h) => <option key={h} value={h}>{h}</option>)}
        </SelectField>
      </div>

      <div>
        <h3 className="text-sm font-medium text-slate-700">Other columns</h3>
        {variables.length === 0 ? (
          <p className="mt-1 text-sm text-slate-500">None: every column is mapped above.</p>
        ) : (
          <ul className="mt-1.5 flex flex-wrap gap-2" aria-label="Columns that become variables">
            {variables.map((v) => (
              <li key={v} data-testid="variable-column" className="rounded-md border border-slate-200 bg-slate-50 px-2 py-1 text-xs text-slate-700">
                <span className="font-mono font-medium">{v}</span> becomes a variable
              </li>
            ))}
          </ul>
        )}
      </div>

      <div>
        <div className="flex items-baseline justify-between">
          <h3 className="text-sm font-medium text-slate-700">First rows of the file</h3>
          <span className="text-xs text-slate-500">{DELIMITER_NAME[preview.delimiter]} separated · not yet checked</span>
        </div>
        <div className="mt-1.5 overflow-x-auto rounded-md border border-slate-200">
          <table className="min-w-full text-left text-xs" aria-label="File preview">
            <thead className="bg-slate-50">
              <tr>
                {headers.map((h) => (
                  <th key={h} scope="col" className="whitespace-nowrap px-3 py-2 font-medium text-slate-700">
                    <div>{h}</div>
                    <div className={`mt-0.5 text-[11px] font-normal ${role(h) === "Variable" ? "text-slate-400" : "text-indigo-600"}`}>{role(h)}</div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row, i) => (
                <tr key={i} data-testid="preview-row">
                  {headers.map((h, j) => (
                    <td key={h} className="max-w-48 truncate whitespace-nowrap px-3 py-1.5 font-mono text-slate-700">{row[j] ?? ""}</td>
                  ))}
                </tr>
              ))}
              {rows.length === 0 && (
                <tr><td colSpan={headers.length} className="px-3 py-2 text-slate-500">No data rows in the first 64 KB.</td></tr>
              )}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}

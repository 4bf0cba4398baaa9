import type { CallingRules } from "@/lib/tenants/data";
import { formatIntervals } from "../admin/format-intervals";

/** The platform's calling hours per destination country, read-only: a platform admin edits them. */
export function PlatformCallingHours({ hours }: { hours: CallingRules["countryHours"] }) {
  const names = new Intl.DisplayNames(["en"], { type: "region" });
  return (
    <table className="w-full text-sm" aria-label="Platform calling hours">
      <thead className="text-left text-xs uppercase text-slate-500">
        <tr><th className="py-2">Country</th><th>Calls allowed (local time of the person called)</th></tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {hours.map((h) => (
          <tr key={h.country} data-testid="country-hours-row">
            <td className="py-2 font-medium">{h.country} <span className="font-normal text-slate-500">{countryName(names, h.country)}</span></td>
            <td>{formatIntervals(h.intervals)}</td>
          </tr>
        ))}
        {hours.length === 0 && (
          <tr><td colSpan={2} className="py-3 text-slate-500">The platform sets no calling hours for any country: your campaigns&apos; own schedules apply alone.</td></tr>
        )}
      </tbody>
    </table>
  );
}

function countryName(names: Intl.DisplayNames, code: string) {
  try {
    return names.of(code) ?? code;
  } catch {
    // A code Intl does not know (the admin form accepts any two letters) is shown as it is.
    return code;
  }
}

import { formatCount, formatPercent } from "./format";

/** Finished leads (any terminal status) out of all leads. */
export function ProgressBar({ done, total, label, size = "md" }: { done: number; total: number; label: string; size?: "sm" | "md" }) {
  const pct = total === 0 ? 0 : Math.min(100, (done / total) * 100);
  return (
    <div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={`${formatCount(done)} of ${formatCount(total)} leads finished`}
        className={`w-full overflow-hidden rounded-full bg-slate-100 ${size === "sm" ? "h-1.5" : "h-3"}`}
      >
        <div className="h-full rounded-full bg-indigo-500 transition-[width] duration-500" style={{ width: `${pct}%` }} />
      </div>
      {size === "md" && (
        <p className="mt-1.5 text-sm text-slate-600" data-testid="progress-text">
          <span className="font-medium text-slate-900">{formatCount(done)}</span> of {formatCount(total)} leads finished · {formatPercent(done, total)}
        </p>
      )}
    </div>
  );
}

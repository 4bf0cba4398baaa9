// Number and time formatting shared by the campaign and dashboard views. en-US grouping everywhere, so the
// server render and the browser agree.

export function formatCount(n: number) {
  return n.toLocaleString("en-US");
}

export function formatPercent(part: number, whole: number) {
  if (whole === 0) return "0%";
  const pct = (part / whole) * 100;
  return `${pct > 0 && pct < 1 ? "<1" : Math.floor(pct)}%`;
}

/** "45 s", "3 min 20 s", "2 h 5 min", "3 d 4 h". */
export function formatDuration(totalSeconds: number) {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** A call's length as m:ss. */
export function formatCallLength(seconds: number | null) {
  if (seconds === null) return "—";
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** Clock time in the viewer's zone; only call after mount (the server does not know the zone). */
export function formatClock(iso: string, withSeconds = false) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", ...(withSeconds ? { second: "2-digit" } : {}) });
}

/** "14:05", or "Tue 3 Dec, 14:05" when not today, in the viewer's zone; only call after mount. */
export function formatDayClock(iso: string, now = new Date()) {
  const at = new Date(iso);
  if (at.toDateString() === now.toDateString()) return formatClock(iso);
  return at.toLocaleString([], { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

export function formatDate(iso: string) {
  return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export function formatFileSize(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// PNG charts of a run: SVG drawn here from the run's own figures, rendered to PNG by Debian's Chromium through
// playwright-core (no chart library: recharts needs React and a bundler, and two charts do not justify either).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { chromium } from "playwright-core";
import type { ScenarioResult } from "./scenario";

const COLORS = { A: "#2563eb", B: "#ea580c", total: "#374151", p50: "#2563eb", p99: "#dc2626", target: "#16a34a", grid: "#e5e7eb", axis: "#6b7280" };
const FONT = `font-family="DejaVu Sans, Arial, sans-serif"`;

export async function renderCharts(results: ScenarioResult[], outDir: string): Promise<{ files: string[] }> {
  const pages: { file: string; svg: string; width: number; height: number }[] = [];
  const s1 = results.find((r) => r.id === 1 && !r.error);
  if (s1) pages.push({ file: path.join(outDir, "scenario1-share.png"), ...shareChart(s1) });
  const s7 = results.find((r) => r.id === 7 && !r.error);
  if (s7) pages.push({ file: path.join(outDir, "scenario7-tick-cost.png"), ...tickCostChart(s7) });
  if (pages.length === 0) return { files: [] };

  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    for (const p of pages) {
      const page = await browser.newPage({ viewport: { width: p.width, height: p.height }, deviceScaleFactor: 2 });
      await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${p.svg}</body></html>`);
      await page.locator("svg").screenshot({ path: p.file });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return { files: pages.map((p) => p.file) };
}

// ---------- scenario 1: dial share per second, fifo and fair side by side

interface Series {
  seconds: number[];
  A: number[];
  B: number[];
}
interface S1Run {
  series: Series;
  arrivals: { startOffsetS: number; ttfdS: number | null }[];
}

function shareChart(result: ScenarioResult) {
  const runs = (result.data as { runs: Record<"fifo" | "fair", S1Run> }).runs;
  const cap = (result.data as { config: { capS: number } }).config.capS;
  const seconds = Math.max(runs.fifo.series.seconds.length, runs.fair.series.seconds.length, 1);
  // One scale for the dials-per-second line in both panels, so their throughput compares at a glance.
  const maxTotal = niceCeil(Math.max(1, ...(["fifo", "fair"] as const).flatMap((mode) => runs[mode].series.A.map((a, i) => a + (runs[mode].series.B[i] ?? 0)))));
  const panelW = 620;
  const panelH = 360;
  const width = panelW * 2 + 40;
  const height = panelH + 110;
  const panels = (["fifo", "fair"] as const).map((mode, i) => {
    const run = runs[mode];
    const waited = run.arrivals.map((a) => a.ttfdS);
    const capped = waited.filter((w) => w === null).length;
    const got = waited.filter((w): w is number => w !== null);
    const subtitle =
      capped > 0
        ? `B's first dial: ${capped} of ${waited.length} arrivals still waiting after ${cap} s`
        : `B's first dial after ${Math.min(...got).toFixed(2)}–${Math.max(...got).toFixed(2)} s (${waited.length} arrivals)`;
    return `<g transform="translate(${20 + i * panelW}, 40)">${sharePanel(run, seconds, maxTotal, panelW - 20, panelH, mode, subtitle)}</g>`;
  });
  const legend = [
    swatch(20, height - 30, COLORS.A, "tenant A (1 huge campaign)"),
    swatch(260, height - 30, COLORS.B, "tenants B1…Bn (small campaigns)"),
    `<line x1="530" y1="${height - 35}" x2="556" y2="${height - 35}" stroke="${COLORS.total}" stroke-width="2"/><text x="562" y="${height - 30}" font-size="14" ${FONT}>all dials per second (right axis)</text>`,
    `<path d="M 850 ${height - 30} l 6 -10 l -12 0 z" fill="${COLORS.B}"/><text x="864" y="${height - 30}" font-size="14" ${FONT}>a B tenant starts</text>`,
    `<rect x="1010" y="${height - 43}" width="16" height="16" fill="#fff" stroke="${COLORS.axis}"/><text x="1032" y="${height - 30}" font-size="14" ${FONT}>no dials that second</text>`,
  ];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="20" y="26" font-size="20" font-weight="bold" ${FONT}>Scenario 1 — share of dials per second: A starts a huge campaign, B tenants start small ones later</text>
  ${panels.join("\n")}
  ${legend.join("\n")}
</svg>`;
  return { svg, width, height };
}

function sharePanel(run: S1Run, seconds: number, maxTotal: number, w: number, h: number, mode: string, subtitle: string) {
  const m = { left: 56, right: 56, top: 48, bottom: 40 };
  const pw = w - m.left - m.right;
  const ph = h - m.top - m.bottom;
  const x = (s: number) => m.left + (s / seconds) * pw;
  const y = (share: number) => m.top + (1 - share) * ph;
  const { A, B } = run.series;
  const totals = A.map((a, i) => a + (B[i] ?? 0));
  const yTotal = (n: number) => m.top + (1 - n / maxTotal) * ph;
  const bw = pw / seconds;
  const bars: string[] = [];
  for (let s = 0; s < A.length; s++) {
    const total = totals[s]!;
    if (total === 0) continue; // no dials that second: no share to show
    const aShare = A[s]! / total;
    bars.push(`<rect x="${x(s)}" y="${y(aShare)}" width="${bw + 0.3}" height="${ph * aShare}" fill="${COLORS.A}"/>`);
    if (B[s]! > 0) bars.push(`<rect x="${x(s)}" y="${y(1)}" width="${bw + 0.3}" height="${ph * (1 - aShare)}" fill="${COLORS.B}"/>`);
  }
  const line = totals.map((n, s) => `${s === 0 ? "M" : "L"} ${(x(s) + bw / 2).toFixed(1)} ${yTotal(n).toFixed(1)}`).join(" ");
  const grid = [0, 0.25, 0.5, 0.75, 1].map(
    (v) =>
      `<line x1="${m.left}" x2="${m.left + pw}" y1="${y(v)}" y2="${y(v)}" stroke="${COLORS.grid}"/>` +
      `<text x="${m.left - 8}" y="${y(v) + 5}" font-size="13" text-anchor="end" ${FONT}>${v * 100}%</text>` +
      `<text x="${m.left + pw + 8}" y="${y(v) + 5}" font-size="13" fill="${COLORS.total}" ${FONT}>${formatCount(maxTotal * v)}</text>`,
  );
  const step = niceStep(seconds / 8);
  const xTicks = [];
  for (let s = 0; s <= seconds; s += step) {
    xTicks.push(`<line x1="${x(s)}" x2="${x(s)}" y1="${m.top + ph}" y2="${m.top + ph + 5}" stroke="${COLORS.axis}"/><text x="${x(s)}" y="${m.top + ph + 21}" font-size="13" text-anchor="middle" ${FONT}>${s}</text>`);
  }
  // This mode's run ended before the other's: grey, so it is not read as seconds without dials.
  const ended =
    A.length < seconds
      ? `<rect x="${x(A.length)}" y="${m.top}" width="${x(seconds) - x(A.length)}" height="${ph}" fill="#f3f4f6"/>` +
        `<text x="${(x(A.length) + x(seconds)) / 2}" y="${m.top + ph / 2}" font-size="14" text-anchor="middle" fill="${COLORS.axis}" ${FONT}>run ended</text>`
      : "";
  const arrivals = run.arrivals.map(
    (a) => `<line x1="${x(a.startOffsetS)}" x2="${x(a.startOffsetS)}" y1="${m.top}" y2="${m.top + ph}" stroke="${COLORS.B}" stroke-dasharray="3 3" stroke-width="1"/>` + `<path d="M ${x(a.startOffsetS)} ${m.top} l 6 -10 l -12 0 z" fill="${COLORS.B}"/>`,
  );
  return `
  <text x="${m.left}" y="14" font-size="18" font-weight="bold" ${FONT}>${mode}</text>
  <text x="${m.left + 48}" y="14" font-size="14" fill="${COLORS.axis}" ${FONT}>${escapeXml(subtitle)}</text>
  ${ended}
  ${grid.join("")}
  ${bars.join("")}
  <path d="${line}" fill="none" stroke="${COLORS.total}" stroke-width="1.6"/>
  ${arrivals.join("")}
  <rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="${COLORS.axis}"/>
  ${xTicks.join("")}
  <text x="${m.left + pw / 2}" y="${h - 4}" font-size="13" text-anchor="middle" ${FONT}>seconds since A started</text>`;
}

// ---------- scenario 7: tick cost against lead count

interface TickPoint {
  leads: number;
  p50Ms: number;
  p99Ms: number;
  claimP50Ms?: number;
}

function tickCostChart(result: ScenarioResult) {
  const points = (result.data as { points: TickPoint[] }).points;
  const target = 50;
  const width = 900;
  const height = 520;
  const m = { left: 70, right: 40, top: 70, bottom: 90 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const maxY = niceCeil(Math.max(target * 1.2, ...points.map((p) => p.p99Ms)) * 1.1);
  const logs = points.map((p) => Math.log10(p.leads));
  const lo = Math.floor(Math.min(...logs) * 2) / 2 - 0.1;
  const hi = Math.ceil(Math.max(...logs) * 2) / 2 + 0.1;
  const x = (leads: number) => m.left + ((Math.log10(leads) - lo) / (hi - lo)) * pw;
  const y = (ms: number) => m.top + (1 - ms / maxY) * ph;
  const grid = [];
  const yStep = niceStep(maxY / 6);
  for (let v = 0; v <= maxY + 1e-9; v += yStep) {
    grid.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y(v)}" y2="${y(v)}" stroke="${COLORS.grid}"/><text x="${m.left - 8}" y="${y(v) + 5}" font-size="13" text-anchor="end" ${FONT}>${v}</text>`);
  }
  const xTicks = points.map(
    (p) => `<line x1="${x(p.leads)}" x2="${x(p.leads)}" y1="${m.top + ph}" y2="${m.top + ph + 5}" stroke="${COLORS.axis}"/><text x="${x(p.leads)}" y="${m.top + ph + 22}" font-size="14" text-anchor="middle" ${FONT}>${formatCount(p.leads)}</text>`,
  );
  const keys = [
    { key: "p99Ms", color: COLORS.p99, dash: "" },
    { key: "p50Ms", color: COLORS.p50, dash: "" },
    { key: "claimP50Ms", color: COLORS.total, dash: "4 4" },
  ] as const;
  const lines = keys.map(({ key, color, dash }) => {
    const pts = points.filter((p) => Number.isFinite(p[key]));
    const d = pts.map((p, i) => `${i === 0 ? "M" : "L"} ${x(p.leads)} ${y(p[key]!)}`).join(" ");
    const dots = pts.map((p) => `<circle cx="${x(p.leads)}" cy="${y(p[key]!)}" r="4.5" fill="${color}"/>`);
    return `<path d="${d}" fill="none" stroke="${color}" stroke-width="2.5" ${dash ? `stroke-dasharray="${dash}"` : ""}/>${dots.join("")}`;
  });
  // Values at each lead count, stacked to the right of the points so close values do not print over each other.
  const labels = points.flatMap((p) => {
    const entries = keys.filter(({ key }) => Number.isFinite(p[key])).map(({ key, color }) => ({ value: p[key]!, color, y: y(p[key]!) + 5 }));
    entries.sort((a, b) => a.y - b.y);
    for (let i = 1; i < entries.length; i++) entries[i]!.y = Math.max(entries[i]!.y, entries[i - 1]!.y + 17);
    // A white halo keeps a label readable where it crosses a line.
    return entries.map((e) => `<text x="${x(p.leads) + 10}" y="${e.y}" font-size="13" font-weight="bold" fill="${e.color}" stroke="#fff" stroke-width="4" paint-order="stroke" ${FONT}>${e.value.toFixed(1)}</text>`);
  });
  const config = (result.data as { config: { tenants: number; campaigns: number; budget: number } }).config;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="20" y="28" font-size="20" font-weight="bold" ${FONT}>Scenario 7 — scheduler tick cost vs pending leads</text>
  <text x="20" y="52" font-size="14" fill="${COLORS.axis}" ${FONT}>${formatCount(config.tenants)} tenants, ${formatCount(config.campaigns)} running campaigns, budget ${formatCount(config.budget)} jobs per tick (fair mode, Scheduler.tick() called directly)</text>
  ${grid.join("")}
  <line x1="${m.left}" x2="${m.left + pw}" y1="${y(target)}" y2="${y(target)}" stroke="${COLORS.target}" stroke-width="2" stroke-dasharray="8 5"/>
  <text x="${m.left + pw - 4}" y="${y(target) - 6}" font-size="13" text-anchor="end" fill="${COLORS.target}" ${FONT}>target 50 ms</text>
  ${lines.join("\n")}
  ${labels.join("")}
  <rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="${COLORS.axis}"/>
  ${xTicks.join("")}
  <text x="${m.left + pw / 2}" y="${m.top + ph + 48}" font-size="14" text-anchor="middle" ${FONT}>pending leads (log scale)</text>
  <text transform="translate(20 ${m.top + ph / 2}) rotate(-90)" font-size="14" text-anchor="middle" ${FONT}>ms per tick</text>
  ${swatch(m.left, height - 14, COLORS.p50, "tick p50")}
  ${swatch(m.left + 140, height - 14, COLORS.p99, "tick p99")}
  <line x1="${m.left + 280}" y1="${height - 19}" x2="${m.left + 306}" y2="${height - 19}" stroke="${COLORS.total}" stroke-width="2.5" stroke-dasharray="4 4"/><text x="${m.left + 312}" y="${height - 14}" font-size="14" ${FONT}>claim statement p50</text>
</svg>`;
  return { svg, width, height };
}

// ---------- helpers

function swatch(x: number, y: number, color: string, label: string) {
  return `<rect x="${x}" y="${y - 13}" width="16" height="16" fill="${color}"/><text x="${x + 22}" y="${y}" font-size="14" ${FONT}>${escapeXml(label)}</text>`;
}

function niceStep(raw: number) {
  if (raw <= 0) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
}

function niceCeil(v: number) {
  const step = niceStep(v / 4);
  return Math.ceil(v / step) * step;
}

function formatCount(n: number) {
  if (n >= 1_000_000) return `${+(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${+(n / 1000).toFixed(0)}k`;
  return Math.round(n).toLocaleString("en-US");
}

function escapeXml(s: string) {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim().split("\n")[0]!;
  } catch {
    return "/usr/bin/chromium";
  }
}

// Test support for the scale-out test: production web servers (scripts/web.ts over the `next build` output) as
// separate processes, a sign-in over HTTP as a browser does it, and a live-progress stream read from each.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { waitFor } from "../test/engine-harness";
import { sseReader } from "../live/live-test-helpers";

const root = path.resolve(import.meta.dirname, "../..");

/** Where a production build leaves its id; scripts/test.sh builds before the cluster stage. */
export function hasProductionBuild() {
  return fs.existsSync(path.join(root, ".next", "BUILD_ID"));
}

export interface WebServer {
  url: string;
  child: ChildProcess;
}

export async function startWebServer(port: number, env: Record<string, string>): Promise<WebServer> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/web.ts")], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET: "scale-out-test-secret-7d1e4b9a2c6f8e3d5a0b",
      ALLOW_INSECURE_HTTP: "1",
      METRICS_TOKEN: "scale-out-metrics-token-0123456789abcdef",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitFor(`web server on :${port}`, async () => {
    if (child.exitCode !== null) throw new Error(`web server on :${port} exited with ${child.exitCode}`);
    return (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) || null;
  }, 120_000, 250);
  return { url, child };
}

/** Signs in with email and password as the sign-in form does; returns the session cookie header. */
export async function signInOverHttp(url: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${url}/` }),
  });
  const session = cookiesOf(res).filter((c) => c.includes("session-token="));
  if (session.length === 0) throw new Error(`sign-in on ${url} gave no session cookie (HTTP ${res.status})`);
  return session.join("; ");
}

function cookiesOf(res: Response) {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]!);
}

export interface ProgressSample {
  at: number;
  status: string;
  terminal: number;
  total: number;
}

/**
 * Follows a campaign's live progress on one web server until `stop()`: every snapshot with the time it arrived.
 * A stream the server closes (a restart, a stream cap) is opened again, as a browser's EventSource does.
 */
export function followProgress(url: string, cookie: string, campaignId: string) {
  const samples: ProgressSample[] = [];
  let stopped = false;
  let cancel: (() => Promise<void>) | null = null;
  const done = (async () => {
    while (!stopped) {
      try {
        const res = await fetch(`${url}/api/campaigns/${campaignId}/events`, { headers: { cookie, accept: "text/event-stream" } });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        const events = sseReader(res.body);
        cancel = events.cancel;
        for (;;) {
          const e = await events.next(30_000);
          if (!e || stopped) break;
          if (e.event !== "progress") continue;
          const p = JSON.parse(e.data) as { status: string; terminal: number; total: number };
          samples.push({ at: Date.now(), status: p.status, terminal: p.terminal, total: p.total });
        }
      } catch {
        if (!stopped) await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();
  return {
    samples,
    async stop() {
      stopped = true;
      await cancel?.();
      await done;
    },
  };
}

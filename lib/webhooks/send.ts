// One HTTP attempt of a delivery: POST the body to the endpoint, at the address target.ts checked, with a short
// timeout for the whole exchange, no redirects followed, and at most a small part of the answer read.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { resolveTarget, TargetRefused, type TargetPolicy } from "./target";

export const RESPONSE_SNIPPET_BYTES = 512;

export interface SendResult {
  /** null when no HTTP answer came (refused target, DNS, connection, timeout). */
  statusCode: number | null;
  ok: boolean;
  latencyMs: number;
  error: string | null;
  responseSnippet: string | null;
}

export async function sendWebhook(
  urlString: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; policy: TargetPolicy },
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(urlString);
  let target: { address: string; family: 4 | 6 };
  try {
    target = await resolveTarget(url, options.policy);
  } catch (err) {
    const message = err instanceof TargetRefused ? err.message : String(err);
    return { statusCode: null, ok: false, latencyMs: elapsed(), error: `refused: ${message}`, responseSnippet: null };
  }
  // The connection goes to the checked address whatever the name resolves to now; TLS still verifies the name.
  const pinned: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else cb(null, target.address, target.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, latencyMs: elapsed() });
    };
    const req = client.request(
      url,
      {
        method: "POST",
        lookup: pinned,
        headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body).toString(), "user-agent": "fairdial-webhooks/1" },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const status = res.statusCode ?? 0;
          const snippet = Buffer.concat(chunks).subarray(0, RESPONSE_SNIPPET_BYTES).toString("utf8");
          const ok = status >= 200 && status < 300;
          const error = ok ? null : status >= 300 && status < 400 ? `redirect to ${res.headers.location ?? "?"} (not followed)` : `HTTP ${status}`;
          finish({ statusCode: status, ok, error, responseSnippet: snippet || null });
          req.destroy();
        };
        res.on("data", (chunk: Buffer) => {
          if (size < RESPONSE_SNIPPET_BYTES) chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_SNIPPET_BYTES) done();
        });
        res.on("end", done);
        res.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      finish({ statusCode: null, ok: false, error: `timed out after ${options.timeoutMs} ms`, responseSnippet: null });
      req.destroy();
    }, options.timeoutMs);
    req.on("error", (err: NodeJS.ErrnoException) => finish({ statusCode: null, ok: false, error: err.code ?? err.message, responseSnippet: null }));
    req.end(body);
  });
}

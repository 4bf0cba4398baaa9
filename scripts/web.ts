// The production web server: Next's request handler behind node:http, so that every request carries the client
// address resolved from the socket and the trusted proxy hops (`next start` only fills X-Forwarded-For when it
// is absent, so a route handler cannot tell a client's own entry from the socket's). Run from a build:
// `npx tsx scripts/web.ts`, or `node dist/web.mjs` after `npm run build`. Reads PORT, HOSTNAME, TRUST_PROXY_HOPS.
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { envOrExit } from "../lib/env-guard";
import { CLIENT_IP_HEADER, resolveClientIp } from "../lib/http/client-ip";

// A deploy's stop signal should not cut open requests off; live-progress streams never end on their own, so
// whatever is still open after this long is closed and the browser's EventSource reconnects to the new process.
const SHUTDOWN_GRACE_MS = 10_000;

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME || "0.0.0.0";

const trustedHops = envOrExit().TRUST_PROXY_HOPS;

const app = next({ dev: false, dir: root, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((req, res) => {
  // Overwrites any value the client sent: this header is ours alone.
  req.headers[CLIENT_IP_HEADER] = resolveClientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustedHops);
  handle(req, res).catch((err: unknown) => {
    console.error("request failed", err);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});

server.listen(port, hostname, () => {
  console.log(`fairdial web listening on http://${hostname}:${port} (trusted proxy hops: ${trustedHops})`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`fairdial web: ${signal}, finishing open requests`);
  const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  force.unref();
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clearTimeout(force);
  await app.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

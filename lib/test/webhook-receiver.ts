// A local HTTP receiver for webhook tests: records every request with its raw body, and answers as the test says.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  event: { id: string; type: string; createdAt: string; tenantId: string; data: Record<string, unknown> };
  at: number;
}

export type Answer = { status: number; delayMs?: number; body?: string };

export async function startReceiver(answer: (req: Received, nth: number) => Answer = () => ({ status: 200 })) {
  const received: Received[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const entry: Received = { path: req.url ?? "/", headers: req.headers, body, event: JSON.parse(body), at: Date.now() };
      received.push(entry);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const a = answer(entry, received.length);
      const reply = () => {
        inFlight--;
        if (!res.destroyed) res.writeHead(a.status, { "content-type": "text/plain" }).end(a.body ?? `status ${a.status}`);
      };
      if (a.delayMs) setTimeout(reply, a.delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = "/hooks") => `http://127.0.0.1:${port}${path}`,
    port,
    received,
    maxInFlight: () => maxInFlight,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

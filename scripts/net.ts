// Small helpers of the service scripts (services.ts, redis-cluster.ts, pgbouncer.ts).
import net from "node:net";

/** Something accepts connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

export function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

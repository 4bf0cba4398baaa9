// Runs a route handler or a Server Action inside the request scope Next gives it in production, so `headers()` and
// `cookies()` from next/headers (which next-auth and our actions read) see this request. Next's app-route module
// runs handlers inside the same two stores; only the fields those functions read are filled in here.
// First: Next's stores need AsyncLocalStorage on globalThis, which Next's own server sets up before loading them.
import "next/dist/server/node-environment-baseline";
import { NextRequest } from "next/server";
import { workAsyncStorage } from "next/dist/server/app-render/work-async-storage.external";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external";
import { createRequestStoreForAPI } from "next/dist/server/async-storage/request-store";

export function inRequestScope<T>(req: Request, route: string, fn: (req: NextRequest) => Promise<T>): Promise<T> {
  const nextReq = req instanceof NextRequest ? req : new NextRequest(req);
  const requestStore = createRequestStoreForAPI(nextReq, nextReq.nextUrl, [] as never, undefined, undefined as never, undefined);
  const workStore = { page: route, route, forceStatic: false, dynamicShouldError: false, isStaticGeneration: false };
  return workAsyncStorage.run(workStore as never, () => workUnitAsyncStorage.run(requestStore, () => fn(nextReq)));
}

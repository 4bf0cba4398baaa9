// Next.js runs register() once when a server process starts: the place to refuse an unsafe production
// configuration before the first request is served (the worker does the same in worker/check-env.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { envOrExit } = await import("./lib/env-guard");
  envOrExit();
}

// Next.js runs register() once when a server process starts: the place to refuse an unsafe production
// configuration before the first request is served (the worker does the same in worker/index.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env, EnvError } = await import("./lib/env");
  try {
    env();
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}

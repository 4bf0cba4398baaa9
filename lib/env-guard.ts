// The start of every process (web server, worker, Next's register()): an invalid or unsafe configuration stops
// it with one readable line instead of a stack trace, before any module reads the environment.
import { env, EnvError, type Env } from "./env";

export function envOrExit(): Env {
  try {
    return env();
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}

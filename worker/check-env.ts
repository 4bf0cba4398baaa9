// Imported first by worker/index.ts, so an unsafe or invalid configuration stops the process with one readable
// line before any module that reads the environment at import time (logger, database client) is loaded.
import { env, EnvError } from "@/lib/env";

try {
  env();
} catch (err) {
  if (!(err instanceof EnvError)) throw err;
  console.error(err.message);
  process.exit(1);
}
if (process.argv.includes("--check-config")) {
  console.log("configuration ok");
  process.exit(0);
}

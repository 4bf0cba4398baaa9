// Imported first by worker/index.ts, so an unsafe or invalid configuration stops the process with one readable
// line before any module that reads the environment at import time (logger, database client) is loaded.
import { envOrExit } from "@/lib/env-guard";

envOrExit();
if (process.argv.includes("--check-config")) {
  console.log("configuration ok");
  process.exit(0);
}

import { log } from "@/lib/log";

export async function startScheduler(): Promise<() => Promise<void>> {
  log.info("scheduler idle (no campaigns yet)");
  return async () => {};
}

// Preloaded into scenario 6's caller processes on what-if runs (`tsx --import ./bench/what-if-preload.ts
// worker/index.ts …` with BENCH_WHAT_IF=<name>): patches DispatchStore before the worker starts, so the caller
// runs exactly as `npm run worker` would, plus the proposed statements.
import { applyWhatIf } from "./what-if";

applyWhatIf(process.env.BENCH_WHAT_IF!);

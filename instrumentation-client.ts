// Runs in the browser before the app's own code. Zod compiles parsers with `new Function` when eval is
// allowed, and probes for it on first use; under the pages' CSP (no 'unsafe-eval', see proxy.ts) that probe is
// refused and reported as a violation. Jitless parsing skips the probe; the forms' schemas are small anyway.
import { z } from "zod";

z.config({ jitless: true });

import { z } from "zod";

// One payload schema per queue, parsed by the producer before adding and by the worker before processing.
export const callJobSchema = z.object({
  attemptId: z.string().min(1),
  leadId: z.string().regex(/^\d+$/),
  tenantId: z.string().min(1),
  campaignId: z.string().min(1),
});

export type CallJob = z.infer<typeof callJobSchema>;

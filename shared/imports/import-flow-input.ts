import * as z from 'zod/mini';

/** What each step of the import flow receives (the flow's input; a batch adds its index, a failure its error). */
export const importStepInput = z.object({
  tenantId: z.string(),
  importId: z.string(),
  runId: z.string(),
  dryRun: z.boolean(),
});

export const importChunkInput = z.extend(importStepInput, { chunk: z.number().check(z.int(), z.nonnegative()) });

export const importFailureInput = z.extend(importStepInput, { error: z.optional(z.string()), cause: z.optional(z.string()) });

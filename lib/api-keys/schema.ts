import { z } from "zod";

export const createApiKeySchema = z.object({ name: z.string().trim().min(1, "Name the key").max(60, "Use at most 60 characters") });

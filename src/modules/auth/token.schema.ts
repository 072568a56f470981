import { z } from 'zod';

/** An API token as its holder and admins see it (never the secret, which is shown once). */
export const token = z.object({
  id: z.number(),
  label: z.string(),
  scopes: z.array(z.string()),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

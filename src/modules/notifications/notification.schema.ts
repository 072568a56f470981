import { z } from 'zod';
import { TLP_LEVELS } from '../../domain/tlp.js';
import { NOTIFICATION_KINDS } from './notification.fanout.js';

export const notificationSchema = z.object({
  id: z.number(),
  kind: z
    .enum(NOTIFICATION_KINDS)
    .describe(
      'new_report: in your sector; question: from the center; answer: from the reporter; message: other',
    ),
  incident: z.object({ id: z.number(), ref: z.string(), tlp: z.enum(TLP_LEVELS) }),
  message_id: z.number().nullable(),
  created_at: z.string(),
  read_at: z.string().nullable(),
});

export const notificationListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Keyset: notifications older than this id. */
  before: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .optional(),
  unread: z.enum(['true', 'false']).optional().describe('true: the unread only'),
});

export const notificationListSchema = z.object({
  items: z.array(notificationSchema),
  unread: z.number().describe('your unread notifications in all'),
  next_before: z.number().nullable().describe('pass as `before` for the next page; null: no more'),
});

export const unreadSchema = z.object({ unread: z.number() });

export const markReadBody = z
  .object({
    ids: z
      .array(
        z
          .number()
          .int()
          .min(1)
          .max(2 ** 31 - 1),
      )
      .min(1)
      .max(200)
      .optional()
      .describe('these notifications (your own; others are ignored)'),
    all: z.literal(true).optional().describe('every notification of yours'),
  })
  .refine((b) => (b.ids === undefined) !== (b.all === undefined), {
    message: 'give either ids or all',
    path: ['ids'],
  });

export const markReadSchema = z.object({ marked: z.number(), unread: z.number() });

export const settingsBody = z.object({
  language: z.enum(['ja', 'en']).describe('the language of your notification mail'),
  mail: z.boolean().describe('whether to receive notification mail'),
});

export const settingsSchema = settingsBody.extend({
  mail_configured: z.boolean().describe('whether this server sends mail at all (KYOYU_SMTP_URL)'),
});

export type NotificationView = z.infer<typeof notificationSchema>;
export type NotificationList = z.infer<typeof notificationListSchema>;
export type NotificationListQuery = z.infer<typeof notificationListQuery>;
export type MarkReadBody = z.infer<typeof markReadBody>;
export type MarkReadAnswer = z.infer<typeof markReadSchema>;
export type NotificationSettings = z.infer<typeof settingsSchema>;
export type NotificationSettingsBody = z.infer<typeof settingsBody>;

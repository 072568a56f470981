import { z } from 'zod';
import { ROLES } from '../../access/index.js';
import { MESSAGE_MAX_LENGTH } from '../../domain/conversation.js';
import { text } from '../../domain/report-line.js';
import { TLP_LEVELS } from '../../domain/tlp.js';

export const SIDES = ['center', 'reporter', 'desk'] as const;

export const messageSchema = z.object({
  id: z.number(),
  incident_id: z.number(),
  author: z.object({
    email: z.string(),
    organization: z.string(),
    role: z.enum(ROLES),
    side: z
      .enum(SIDES)
      .describe("the author's side: the center, the reporting organisation, the sector desk"),
  }),
  tlp: z.enum(TLP_LEVELS).describe("the incident's marking when the message was written"),
  body: z.string(),
  created_at: z.string(),
  own: z.boolean().describe('written by you'),
});

export const conversationSchema = z.object({
  incident: z.object({ id: z.number(), ref: z.string(), tlp: z.enum(TLP_LEVELS) }),
  side: z.enum(SIDES).describe('your side in this conversation'),
  may_write: z.boolean().describe('whether you may write in it (your token may be read-only)'),
  items: z.array(messageSchema).describe('oldest first'),
  last_read_id: z.number().describe('your read marker: the last message you have read (0: none)'),
  unread: z.number().describe('messages of others after your read marker'),
  next_after: z.number().nullable().describe('pass as `after` for the next page; null: no more'),
});

export const conversationQuery = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional()
    .describe('only messages after this id'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const postMessageBody = z.object({
  body: text(MESSAGE_MAX_LENGTH, true)
    .refine((s) => s.trim().length > 0, { message: 'write something' })
    .describe(`the message, up to ${MESSAGE_MAX_LENGTH} characters (line breaks allowed)`),
});

export const readMarkerBody = z.object({
  last_read_id: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .describe('the last message you have read; the marker never moves back'),
});

export const readMarkerSchema = z.object({ last_read_id: z.number(), unread: z.number() });

export const unreadTotalSchema = z.object({
  total: z.number().describe('unread messages in every conversation you take part in'),
  incidents: z
    .array(z.object({ incident_id: z.number(), ref: z.string(), unread: z.number() }))
    .describe('per incident, the most recent first (at most 100)'),
});

export type MessageView = z.infer<typeof messageSchema>;
export type ConversationView = z.infer<typeof conversationSchema>;
export type ConversationQuery = z.infer<typeof conversationQuery>;
export type PostMessageBody = z.infer<typeof postMessageBody>;
export type ReadMarkerBody = z.infer<typeof readMarkerBody>;
export type ReadMarkerView = z.infer<typeof readMarkerSchema>;
export type UnreadTotal = z.infer<typeof unreadTotalSchema>;

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/request.js';
import { errorResponse } from '../../platform/http/error-response.js';
import type { NotificationService } from './notification.service.js';
import {
  markReadBody,
  markReadSchema,
  notificationListQuery,
  notificationListSchema,
  settingsBody,
  settingsSchema,
  unreadSchema,
} from './notification.schema.js';

const refusals = { 400: errorResponse, 401: errorResponse, 403: errorResponse };

/** GET /notifications, its unread count, marking read, and the caller's mail settings. */
export function notificationRoutes(services: { notifications: NotificationService }): FastifyPluginAsyncZod {
  const { notifications } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/notifications', {
      config: { policy: 'notifications:read' },
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications, newest first, with your unread count',
        querystring: notificationListQuery,
        response: { 200: notificationListSchema, ...refusals },
      },
      handler: (request) => notifications.list(actorOf(request), request.query),
    });
    app.get('/notifications/unread', {
      config: { policy: 'notifications:read' },
      schema: {
        tags: ['notifications'],
        summary: 'How many of your notifications are unread (the header badge)',
        response: { 200: unreadSchema, ...refusals },
      },
      handler: async (request) => ({ unread: await notifications.unread(actorOf(request)) }),
    });
    app.post('/notifications/read', {
      config: { policy: 'notifications:write' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark your notifications read: the ones named, or all',
        body: markReadBody,
        response: { 200: markReadSchema, ...refusals },
      },
      handler: (request) => notifications.markRead(actorOf(request), request.body),
    });
    app.get('/notifications/settings', {
      config: { policy: 'notifications:read' },
      schema: {
        tags: ['notifications'],
        summary: 'Your notification mail settings: language and whether to receive mail',
        response: { 200: settingsSchema, ...refusals },
      },
      handler: (request) => notifications.settings(actorOf(request)),
    });
    app.put('/notifications/settings', {
      config: { policy: 'notifications:write' },
      schema: {
        tags: ['notifications'],
        summary: 'Change your notification mail settings',
        body: settingsBody,
        response: { 200: settingsSchema, ...refusals },
      },
      handler: (request) => notifications.updateSettings(actorOf(request), request.body),
    });
  };
}

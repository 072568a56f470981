/** The notifications module's public face: other modules import only what is exported here. */
export {
  newReportFanOut,
  notifyOfMessage,
  notifyOrganizations,
  NOTIFICATION_KINDS,
} from './notification.fanout.js';
export type { NotificationKind } from './notification.fanout.js';
export { MailOutbox } from './notification.outbox.js';
export type { NotificationService } from './notification.service.js';

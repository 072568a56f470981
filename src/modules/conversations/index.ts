/** The conversations module's public face: other modules import only what is exported here. */
export type { ConversationService } from './conversation.service.js';

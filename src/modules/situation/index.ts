export { SituationService } from './situation.service.js';
export { situationRoutes } from './situation.routes.js';
export { parseFeed } from './feed.js';
export type { SituationItemView } from './situation.schema.js';
export { listItems } from './situation.repository.js';
export { localDate } from './situation.schema.js';

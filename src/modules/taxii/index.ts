/** TAXII 2.1 (issue 12): the server's store for publishers, the server's routes, the client and feeds. */
export { TaxiiStore } from './taxii.store.js';
export type { AddResult, ObjectsAddedHook } from './taxii.store.js';
export { TaxiiService } from './taxii.service.js';
export { taxiiRoutes } from './taxii.routes.js';
export { collectionIdOf } from './taxii.ids.js';
export { pullCollection } from './taxii.client.js';
export type { PullOptions, PullResult } from './taxii.client.js';
export { TaxiiFeeds } from './taxii.feeds.js';

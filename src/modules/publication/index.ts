export { PublicationService } from './publication.service.js';
export type { DocumentRequest, DocumentFormat } from './publication.service.js';
export { publicationRoutes } from './publication.routes.js';

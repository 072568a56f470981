/** The organizations module's public face: other modules import only what is exported here. */
export type { OrganizationIds } from './organization.ids.js';
export { ensureOrganization, listOrganizations } from './organization.repository.js';

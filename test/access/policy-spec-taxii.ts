import { collectionIdOf } from '../../src/modules/taxii/index.js';
import { as } from '../support/api.js';
import type { RouteSpec } from './policy-cases.js';
import { center, matrix } from './policy-cases.js';

/**
 * The TAXII 2.1 routes in the matrix, on the public collection (every signed-in caller reads it;
 * the center writes it). What the matrix cannot vary (the collection per audience, Accept and
 * Content-Type, the error resources) is test/modules/taxii/, which also compares the database
 * around its refusals.
 */
const PUBLIC = `/taxii2/api/collections/${collectionIdOf('public')}`;
const MISSING = 'indicator--00000000-0000-4000-8000-00000000abcd';
const TAXII = 'application/taxii+json;version=2.1';

export const TAXII_ROUTES: Record<string, RouteSpec> = {
  'GET /taxii2/': { expect: () => 200, send: (app, c) => as(app, c.user).get('/taxii2/') },
  'GET /taxii2': { expect: () => 200, send: (app, c) => as(app, c.user).get('/taxii2') },
  'GET /taxii2/api/': { expect: () => 200, send: (app, c) => as(app, c.user).get('/taxii2/api/') },
  'GET /taxii2/api/collections/': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get('/taxii2/api/collections/'),
  },
  'GET /taxii2/api/collections/:collection/': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get(`${PUBLIC}/`),
  },
  'GET /taxii2/api/collections/:collection/objects/': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get(`${PUBLIC}/objects/`),
  },
  'POST /taxii2/api/collections/:collection/objects/': {
    expect: (c) => (center(c.role) ? 202 : 403),
    send: (app, c) =>
      as(app, c.user).post(
        `${PUBLIC}/objects/`,
        JSON.stringify({
          objects: [
            {
              type: 'note',
              spec_version: '2.1',
              id: `note--00000000-0000-4000-8000-${String(++matrix.counter).padStart(12, '0')}`,
              created: '2024-01-01T00:00:00.000Z',
              modified: '2024-01-01T00:00:00.000Z',
              content: 'matrix',
              object_refs: [MISSING],
            },
          ],
        }),
        { 'content-type': TAXII },
      ),
  },
  'GET /taxii2/api/collections/:collection/objects/:object/': {
    expect: () => 404,
    send: (app, c) => as(app, c.user).get(`${PUBLIC}/objects/${MISSING}/`),
  },
  'DELETE /taxii2/api/collections/:collection/objects/:object/': {
    expect: (c) => (center(c.role) ? 404 : 403),
    send: (app, c) => as(app, c.user).delete(`${PUBLIC}/objects/${MISSING}/`),
  },
  'GET /taxii2/api/collections/:collection/objects/:object/versions/': {
    expect: () => 404,
    send: (app, c) => as(app, c.user).get(`${PUBLIC}/objects/${MISSING}/versions/`),
  },
  'GET /taxii2/api/collections/:collection/manifest/': {
    expect: () => 200,
    send: (app, c) => as(app, c.user).get(`${PUBLIC}/manifest/`),
  },
  'GET /taxii2/api/status/:status/': {
    expect: () => 404,
    send: (app, c) => as(app, c.user).get('/taxii2/api/status/00000000-0000-4000-8000-000000000000/'),
  },
};

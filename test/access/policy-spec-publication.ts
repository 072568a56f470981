import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { TestUser } from '../support/api.js';
import { as } from '../support/api.js';
import type { Case, RouteSpec } from './policy-cases.js';
import { matrix } from './policy-cases.js';

/**
 * The quarterly document's routes (issue 13): parts 1 and 3 are the center analysts' alone (admins
 * administer accounts, not content); the public edition is everyone's, the full one the center's.
 */
export const publication = { item: 0, feed: 0, lesson: 0 };

const item = (n: number) => ({
  section: 'domestic_other',
  event_date: '2024-02-01',
  title: { ja: `項目 ${n}` },
  summary: { ja: '概要' },
  sources: [
    {
      publisher: 'p',
      title: 't',
      published_on: '2024-02-01',
      url: `https://example.org/${n}`,
      accessed_on: '2024-02-02',
    },
  ],
});
const lesson = (n: number) => ({
  fiscal_year: 2023,
  quarter: 4,
  heading: { ja: `教訓 ${n}` },
  body: { ja: '本文' },
});

/** The matrix's item, feed and lesson, made by the center (from the matrix's beforeAll). */
export async function setupPublication(app: FastifyInstance, creator: TestUser): Promise<void> {
  const created = await as(app, creator).post('/api/v1/situation/items', item(0));
  expect(created.statusCode, created.body).toBe(201);
  publication.item = created.json<{ id: number }>().id;
  // Nothing listens on port 9: a pull fails at once (422), as a feed that is down does.
  const feed = await as(app, creator).post('/api/v1/situation/feeds', {
    name: 'down',
    url: 'http://127.0.0.1:9/feed',
  });
  expect(feed.statusCode, feed.body).toBe(201);
  publication.feed = feed.json<{ id: number }>().id;
  const written = await as(app, creator).post('/api/v1/lessons', lesson(0));
  expect(written.statusCode, written.body).toBe(201);
  publication.lesson = written.json<{ id: number }>().id;
}

const analysts = (ok: number) => (c: Case) => (c.role === 'center_analyst' ? ok : 403);

export const PUBLICATION_ROUTES: Record<string, RouteSpec> = {
  'GET /api/v1/situation/items': {
    expect: analysts(200),
    send: (app, c) => as(app, c.user).get('/api/v1/situation/items?fy=2023&quarter=4'),
  },
  'POST /api/v1/situation/items': {
    expect: analysts(201),
    send: (app, c) => as(app, c.user).post('/api/v1/situation/items', item(++matrix.counter)),
  },
  'GET /api/v1/situation/items/:id': {
    expect: analysts(200),
    send: (app, c) => as(app, c.user).get(`/api/v1/situation/items/${publication.item}`),
  },
  'PUT /api/v1/situation/items/:id': {
    expect: analysts(200),
    send: (app, c) => as(app, c.user).put(`/api/v1/situation/items/${publication.item}`, item(0)),
  },
  'GET /api/v1/situation/feeds': {
    expect: analysts(200),
    send: (app, c) => as(app, c.user).get('/api/v1/situation/feeds'),
  },
  'POST /api/v1/situation/feeds': {
    expect: analysts(201),
    send: (app, c) =>
      as(app, c.user).post('/api/v1/situation/feeds', {
        name: 'f',
        url: `https://feeds.example.org/${++matrix.counter}`,
      }),
  },
  'POST /api/v1/situation/feeds/:id/pull': {
    expect: analysts(422),
    send: (app, c) => as(app, c.user).post(`/api/v1/situation/feeds/${publication.feed}/pull`, {}),
  },
  'POST /api/v1/situation/candidates/advisories': {
    expect: analysts(200),
    send: (app, c) => as(app, c.user).post('/api/v1/situation/candidates/advisories?fy=2023&quarter=4', {}),
  },
  'GET /api/v1/lessons': {
    expect: analysts(200),
    send: (app, c) => as(app, c.user).get('/api/v1/lessons?fy=2023&quarter=4'),
  },
  'GET /api/v1/lessons/candidates': {
    expect: analysts(200),
    send: (app, c) => as(app, c.user).get('/api/v1/lessons/candidates?fy=2023&quarter=4'),
  },
  'POST /api/v1/lessons': {
    expect: analysts(201),
    send: (app, c) => as(app, c.user).post('/api/v1/lessons', lesson(++matrix.counter)),
  },
  'GET /api/v1/lessons/:id': {
    expect: analysts(200),
    send: (app, c) => as(app, c.user).get(`/api/v1/lessons/${publication.lesson}`),
  },
  'PUT /api/v1/lessons/:id': {
    expect: analysts(200),
    send: (app, c) => as(app, c.user).put(`/api/v1/lessons/${publication.lesson}`, lesson(0)),
  },
  // A draft cannot be returned to draft: the center's answer is a refusal that changes nothing.
  'POST /api/v1/lessons/:id/transitions': {
    expect: analysts(409),
    send: (app, c) =>
      as(app, c.user).post(`/api/v1/lessons/${publication.lesson}/transitions`, { action: 'return' }),
  },
  // Response times: the center's working material (periods:read).
  'GET /api/v1/stats/response-times': {
    expect: analysts(200),
    send: (app, c) => as(app, c.user).get('/api/v1/stats/response-times?fy=2023&quarter=3'),
  },
  // The full edition: the center's. (The public edition of the open FY2023 Q4 is no one's yet: 409.)
  'GET /api/v1/publication/quarterly': {
    expect: analysts(200),
    send: (app, c) =>
      as(app, c.user).get('/api/v1/publication/quarterly?fy=2023&quarter=4&edition=full&format=html'),
  },
};

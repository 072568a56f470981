import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UI_CSP } from './security.js';

/** Where `npm run build` puts the web UI (web/ built by Vite); the same from src/ and from dist/. */
export const WEB_DIR = fileURLToPath(new URL('../../../dist/web', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

interface WebFile {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  etag: string;
  /** Content-hashed names (assets/) never change: cached for a year; the rest revalidated. */
  immutable: boolean;
}

export interface WebUiSettings {
  timeZone: string;
  fiscalYearStartMonth: number;
}

/**
 * The built UI, read into memory once (a few hundred kB): each answer is a map lookup, so no
 * request path ever reaches the file system, and text files are gzipped once rather than per request.
 */
function loadFiles(dir: string, settings: WebUiSettings): Map<string, WebFile> | null {
  if (!existsSync(join(dir, 'index.html'))) return null;
  const files = new Map<string, WebFile>();
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const urlPath = `/${name.split(/[\\/]/).join('/')}`;
    let body = readFileSync(path);
    // The deployment's settings reach the page as <meta> tags: the CSP allows no inline script.
    if (urlPath === '/index.html') {
      body = Buffer.from(
        body
          .toString('utf8')
          .replace('__KYOYU_TIME_ZONE__', settings.timeZone.replace(/[^\w+\-/]/g, ''))
          .replace('__KYOYU_FISCAL_YEAR_START_MONTH__', String(settings.fiscalYearStartMonth)),
      );
    }
    const type = TYPES[extname(name)] ?? 'application/octet-stream';
    const compressible = /^text\/|javascript|json|svg/.test(type) && body.length > 1024;
    files.set(urlPath, {
      body,
      gzip: compressible ? gzipSync(body, { level: 9 }) : null,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      immutable: urlPath.startsWith('/assets/'),
    });
  }
  return files;
}

function send(request: FastifyRequest, reply: FastifyReply, file: WebFile) {
  reply
    .header('content-type', file.type)
    .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('etag', file.etag)
    .header('content-security-policy', UI_CSP);
  if (request.headers['if-none-match'] === file.etag) return reply.status(304).send();
  if (file.gzip) {
    reply.header('vary', 'accept-encoding');
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      return reply.header('content-encoding', 'gzip').send(file.gzip);
    }
  }
  return reply.send(file.body);
}

const NOT_BUILT =
  '<!doctype html><html lang="ja"><meta charset="utf-8"><title>kyoyu 共有</title>' +
  '<h1>kyoyu 共有</h1><p>重要インフラのサイバーインシデント情報共有 / Critical-infrastructure incident information sharing.</p>' +
  '<p>画面はまだビルドされていません / The web UI is not built: <code>npm run build</code>.</p>' +
  '<p><a href="/api/docs">API docs</a> · <a href="/api/v1/openapi.json">OpenAPI</a></p></html>';

/**
 * Serves the single-page app: `GET /` (a public route) and, for any other GET outside /api that no
 * route claims, the built file of that path, or index.html for the app's own paths (client-side
 * routing: /incidents/12 on reload). Missing assets and other paths with a file extension stay 404.
 * The catch-all is a hook on unmatched requests rather than a wildcard route, so the API's route
 * table (and its per-route policy checks) keeps only real endpoints.
 */
export function installWebUi(app: FastifyInstance, settings: WebUiSettings, dir = WEB_DIR): void {
  let files: Map<string, WebFile> | null | undefined;
  const loaded = () => (files === undefined ? (files = loadFiles(dir, settings)) : files);

  app.get('/', { config: { policy: 'public' }, schema: { hide: true } }, (request, reply) => {
    const index = loaded()?.get('/index.html');
    return index ? send(request, reply, index) : reply.type('text/html; charset=utf-8').send(NOT_BUILT);
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== undefined) return;
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const path = request.url.split('?')[0] ?? '';
    // The API's and the TAXII server's own paths answer their own 404s.
    if (/^\/(api|taxii2)(\/|$)/.test(path)) return;
    const all = loaded();
    if (!all) return;
    const file = all.get(path);
    if (file) return send(request, reply, file);
    if (path.startsWith('/assets/') || /\.[A-Za-z0-9]+$/.test(path)) return;
    return send(request, reply, all.get('/index.html')!);
  });
}

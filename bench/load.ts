import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  durationMs: number;
  /** Refs answered 201 Created. */
  created: string[];
  /** Latencies (ms) of the 201 answers, ascending. */
  latencies: number[];
  statuses: Record<string, number>;
  errors: string[];
}

interface PostAnswer {
  status: number;
  body: string;
}

function post(agent: http.Agent, url: URL, token: string, body: string): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * `clients` concurrent keep-alive clients, each POSTing a new report (its own ref) as soon as the
 * previous one is answered, until `durationMs` has passed.
 */
export async function runLoad(opts: {
  baseUrl: string;
  token: string;
  clients: number;
  durationMs: number;
  body: (client: number, seq: number) => { ref: string; json: string };
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.clients });
  const url = new URL('/api/v1/incidents', opts.baseUrl);
  const result: LoadResult = { durationMs: 0, created: [], latencies: [], statuses: {}, errors: [] };
  const started = performance.now();
  const deadline = started + opts.durationMs;
  const client = async (c: number) => {
    for (let seq = 0; performance.now() < deadline; seq++) {
      const { ref, json } = opts.body(c, seq);
      const t = performance.now();
      let status: string;
      try {
        const answer = await post(agent, url, opts.token, json);
        status = String(answer.status);
        if (answer.status === 201) {
          result.latencies.push(performance.now() - t);
          result.created.push(ref);
        } else if (result.errors.length < 5)
          result.errors.push(`${answer.status}: ${answer.body.slice(0, 300)}`);
      } catch (error) {
        status = 'network_error';
        if (result.errors.length < 5) result.errors.push((error as Error).message);
      }
      result.statuses[status] = (result.statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, c) => client(c)));
  result.durationMs = performance.now() - started;
  agent.destroy();
  result.latencies.sort((a, b) => a - b);
  return result;
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_REGIMES_FILE, loadRegimes, RegimesFileError } from '../../../src/modules/regimes/index.js';
import { cli } from '../../support/cli.js';

/** The regimes file kyoyu ships, checked as it is read; `kyoyu regimes list` shows every regime. */
const dir = mkdtempSync(join(tmpdir(), 'kyoyu-regimes-'));
/** The parts of a regime the refusals below change. */
interface RegimeJson {
  time_zone: string;
  stages: Array<{ from: unknown; items: string[]; promptly?: boolean; within?: { unit: string } }>;
}
const shipped = JSON.parse(readFileSync(DEFAULT_REGIMES_FILE, 'utf8')) as { regimes: RegimeJson[] };
const variant = (change: (r: RegimeJson) => void): string => {
  const copy = structuredClone(shipped);
  change(copy.regimes[0]!);
  const file = join(dir, `regimes-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(copy));
  return file;
};

describe('the regimes file', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships the duties of the issue, each with stages, a source and a confidence mark', () => {
    const regimes = loadRegimes();
    expect(regimes.map((r) => r.code)).toEqual([
      'jp-acd',
      'jp-ppc',
      'jp-telecom',
      'jp-electricity',
      'jp-gas',
      'eu-nis2',
      'eu-dora',
      'us-circia',
    ]);
    for (const r of regimes) {
      expect(r.stages.length).toBeGreaterThanOrEqual(2);
      expect(r.source.url).toMatch(/^https:\/\//);
      expect(['law', 'guidance', 'secondary']).toContain(r.source.confidence);
    }
  });

  it.each([
    [
      'a stage counting from a stage that does not come before it',
      (r: RegimeJson) => (r.stages[0]!.from = { stage: 'written' }),
      'not an earlier stage',
    ],
    [
      'an item no one defined',
      (r: RegimeJson) => r.stages[0]!.items.push('nothing'),
      'item nothing is not defined',
    ],
    [
      'a time zone that does not exist',
      (r: RegimeJson) => (r.time_zone = 'Asia/Atlantis'),
      'an IANA time zone',
    ],
    [
      'a stage without a period that is not prompt',
      (r: RegimeJson) => delete r.stages[0]!.promptly,
      'has a period',
    ],
    ['an unknown unit', (r: RegimeJson) => (r.stages[1]!.within!.unit = 'fortnights'), 'within.unit'],
  ])('refuses %s, saying where', (_, change, message) => {
    expect(() => loadRegimes(variant(change))).toThrow(RegimesFileError);
    expect(() => loadRegimes(variant(change))).toThrow(message);
  });

  it('kyoyu regimes list shows every regime with its stages, deadlines, sources and confidence', async () => {
    const text = await cli('sqlite::memory:', 'regimes', 'list');
    expect(text.code, text.err).toBe(0);
    for (const r of loadRegimes()) {
      expect(text.out).toContain(`${r.code} v${r.version}`);
      expect(text.out).toContain(r.source.url);
      for (const s of r.stages) expect(text.out).toContain(`- ${s.code}: ${s.name.ja} / ${s.name.en}`);
    }
    expect(text.out).toContain('認知から24時間以内');
    expect(text.out).toContain('within 72 hours of awareness');
    expect(text.out).toContain('within 1 month of the submission of the incident notification');
    expect(text.out).toContain('from secondary sources');
    const broken = await cli(
      'sqlite::memory:',
      'regimes',
      'list',
      '--file',
      variant((r) => (r.time_zone = 'Mars/Olympus')),
    );
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('an IANA time zone');
    const json = await cli('sqlite::memory:', 'regimes', 'list', '--format', 'json');
    expect((JSON.parse(json.out) as unknown[]).length).toBe(8);
  });
});

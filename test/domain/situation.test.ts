import { describe, expect, it } from 'vitest';
import { lessonMove } from '../../src/domain/lesson-workflow.js';
import type { SituationItem, SituationSource } from '../../src/domain/situation.js';
import { citation, numberFootnotes, orderItems } from '../../src/domain/situation.js';

const source = (n: number, url = `https://example.org/${n}`): SituationSource => ({
  publisher: `Publisher ${n}`,
  title: `Title ${n}`,
  published_on: '2024-02-29',
  url,
  accessed_on: '2024-04-05',
});
const item = (
  id: number,
  section: SituationItem['section'],
  date: string,
  sources: SituationSource[],
  country?: string,
): SituationItem => ({
  id,
  section,
  event_date: date,
  title: { ja: `項目${id}`, en: `Item ${id}` },
  summary: { ja: '概要', en: 'Summary' },
  tags: { sectors: [], countries: country ? [country] : [], groups: [], cves: [] },
  tlp: 'CLEAR',
  sources,
});

describe('footnotes of part 1', () => {
  it('numbers sources in reading order across the part; a source cited again keeps its number and its one note', () => {
    const items = [
      item(1, 'foreign_policy', '2024-01-10', [source(1), source(2)]),
      item(2, 'foreign_ci_incidents', '2024-01-05', [source(3)]),
      // The same address written differently: trailing slash, fragment, host in capitals.
      item(3, 'technology_trends', '2024-03-01', [source(9, 'https://EXAMPLE.org/1/#top'), source(4)]),
    ];
    const { items: numbered, notes } = numberFootnotes(items);
    expect(numbered.map((n) => n.refs)).toEqual([
      [
        { number: 1, first: true },
        { number: 2, first: true },
      ],
      [{ number: 3, first: true }],
      [
        { number: 1, first: false },
        { number: 4, first: true },
      ],
    ]);
    expect(notes.map((n) => n.number)).toEqual([1, 2, 3, 4]);
  });

  it('orders chapters, sections, countries (by first date) and items by date', () => {
    const groups = orderItems([
      item(1, 'technology_trends', '2024-01-01', [source(1)]),
      item(2, 'foreign_state_groups', '2024-02-01', [source(2)], 'CN'),
      item(3, 'foreign_state_groups', '2024-01-15', [source(3)], 'RU'),
      item(4, 'foreign_state_groups', '2024-03-01', [source(4)], 'RU'),
      item(5, 'domestic_ci_incidents', '2024-01-02', [source(5)]),
    ]);
    expect(groups.map((g) => [g.section, g.country, g.items.map((i) => i.id)])).toEqual([
      ['foreign_state_groups', 'RU', [3, 4]],
      ['foreign_state_groups', 'CN', [2]],
      ['domestic_ci_incidents', null, [5]],
      ['technology_trends', null, [1]],
    ]);
  });

  it('cites publisher「title」(date)、URL (accessed date) in Japanese, and its English form', () => {
    expect(citation(source(1), 'ja')).toBe(
      'Publisher 1「Title 1」(2024年2月29日)、https://example.org/1 (2024年4月5日閲覧)',
    );
    expect(citation(source(1), 'en')).toBe(
      'Publisher 1, “Title 1” (2024-02-29), https://example.org/1 (accessed 2024-04-05)',
    );
  });
});

describe('the workflow of a lesson learned', () => {
  const author = { userId: 1, authorId: 1 };
  const other = { userId: 2, authorId: 1 };
  it('goes draft -> in review -> approved (by another) -> published', () => {
    expect(lessonMove('draft', 'submit', author)).toEqual({ ok: true, to: 'in_review' });
    expect(lessonMove('in_review', 'approve', other)).toEqual({ ok: true, to: 'approved' });
    expect(lessonMove('approved', 'publish', author)).toEqual({ ok: true, to: 'published' });
    expect(lessonMove('approved', 'return', other)).toEqual({ ok: true, to: 'draft' });
  });
  it('refuses the author’s own approval, skipped steps and anything after publication', () => {
    expect(lessonMove('in_review', 'approve', author)).toMatchObject({
      ok: false,
      refusal: { code: 'lesson_own_approval' },
    });
    expect(lessonMove('draft', 'approve', other)).toMatchObject({
      ok: false,
      refusal: { code: 'lesson_state' },
    });
    expect(lessonMove('draft', 'publish', other)).toMatchObject({
      ok: false,
      refusal: { code: 'lesson_state' },
    });
    for (const action of ['submit', 'approve', 'return', 'publish'] as const)
      expect(lessonMove('published', action, other).ok).toBe(false);
  });
});

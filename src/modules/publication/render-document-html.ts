import { escapeHtml, renderBlock, STATS_STYLE } from '../stats/index.js';
import type { ContentItem, DocumentContent } from './publication.content.js';

/**
 * The quarterly document as one standalone HTML page (no scripts, no external resources). A page
 * of HTML has no page foot: part 1's footnotes are numbered as in the PDF and set at the end of
 * the part, each linked both ways with its citations.
 */

const STYLE = `${STATS_STYLE}
body { max-width: 60rem; line-height: 1.7; }
header.cover { border-bottom: 2px solid #334; margin-bottom: 2rem; padding-bottom: 1rem; }
header.cover h1 { margin: 0 0 .3rem; }
.period { font-size: 1.3rem; margin: 0; }
.edition { display: inline-block; border: 1px solid #334; padding: .1rem .5rem; font-size: .85rem; }
h2 { border-left: 6px solid #334; padding-left: .5rem; margin-top: 3rem; }
.item-title { font-weight: bold; margin: 1rem 0 .2rem; }
.item-date { color: #555; font-weight: normal; margin-left: .5rem; }
sup a { text-decoration: none; }
ol.notes { font-size: .85rem; border-top: 1px solid #888; padding-top: .5rem; overflow-wrap: anywhere; }
.lesson h3 { margin-bottom: .2rem; }
`;

function item(i: ContentItem): string {
  const refs = i.refs
    .map((r) => `<a href="#note-${r.number}"${r.first ? ` id="cite-${r.number}"` : ''}>${r.number}</a>`)
    .join(',');
  return [
    `<p class="item-title">${escapeHtml(i.title)}<span class="item-date">${escapeHtml(i.date)}</span></p>`,
    `<p>${escapeHtml(i.summary)}${refs ? `<sup>${refs}</sup>` : ''}</p>`,
  ].join('\n');
}

export function renderDocumentHtml(c: DocumentContent): string {
  const part1 = c.situation.length
    ? c.situation.map(
        (chapter, ci) =>
          `<h3>${ci + 1}. ${escapeHtml(chapter.title)}</h3>\n` +
          chapter.sections
            .map(
              (s, si) =>
                `<h4>(${si + 1}) ${escapeHtml(s.title)}</h4>\n` +
                s.groups
                  .map(
                    (g) =>
                      (g.country ? `<h5>${escapeHtml(g.country)}</h5>\n` : '') + g.items.map(item).join('\n'),
                  )
                  .join('\n'),
            )
            .join('\n'),
      )
    : [`<p>${escapeHtml(c.emptySituation)}</p>`];
  const notes = c.notes.length
    ? `<h3>${escapeHtml(c.notesTitle)}</h3>\n<ol class="notes">\n${c.notes
        .map(
          (n) =>
            `<li id="note-${n.number}" value="${n.number}">${escapeHtml(n.text)} <a href="#cite-${n.number}">↩</a></li>`,
        )
        .join('\n')}\n</ol>`
    : '';
  const lessons = c.lessons.length
    ? c.lessons
        .map(
          (l, i) =>
            `<section class="lesson"><h3>${i + 1}. ${escapeHtml(l.heading)}</h3>\n<p>${escapeHtml(l.body)}</p></section>`,
        )
        .join('\n')
    : `<p>${escapeHtml(c.emptyLessons)}</p>`;
  const partTitle = (n: number) =>
    c.lang === 'ja' ? `第${n}部 ${c.parts[n - 1]}` : `Part ${n}. ${c.parts[n - 1]}`;
  return [
    '<!DOCTYPE html>',
    `<html lang="${c.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${c.title} ${c.period}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header class="cover">',
    `<h1>${escapeHtml(c.title)}</h1>`,
    `<p class="period">${escapeHtml(c.period)}</p>`,
    `<p>${escapeHtml(c.dateLine)}<br>${escapeHtml(c.center)}</p>`,
    `<p class="edition">${escapeHtml(c.editionMark)}</p>`,
    '</header>',
    `<section id="part-1"><h2>${escapeHtml(partTitle(1))}</h2>`,
    ...part1,
    notes,
    '</section>',
    `<section id="part-2"><h2>${escapeHtml(partTitle(2))}</h2>`,
    `<p>${escapeHtml(c.statsIntro)}</p>`,
    `<p class="unit">${escapeHtml(c.stats.unit)}</p>`,
    ...c.stats.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`),
    ...c.stats.blocks.map((b) => renderBlock(b, c.stats, c.lang)),
    '</section>',
    `<section id="part-3"><h2>${escapeHtml(partTitle(3))}</h2>`,
    lessons,
    '</section>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

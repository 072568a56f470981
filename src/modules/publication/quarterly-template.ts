/**
 * The Typst template of the quarterly document's PDF. Everything it sets comes from `sys.inputs.data`
 * (JSON, see render-document-pdf.ts): text is never spliced into Typst markup, so nothing a user
 * writes can act as markup. Typst sets each footnote at the foot of the page that cites it and
 * repeats a table's header on every page the table runs onto; a source cited again refers to the
 * note of its first citation by label, keeping one number.
 */
export const QUARTERLY_TEMPLATE = String.raw`
#let data = json(bytes(sys.inputs.data))
#let font = "Noto Sans JP"
#set document(title: data.title + " " + data.period, author: data.center)
#set text(font: font, lang: data.lang, size: 10pt, fallback: false)
#set par(justify: true, leading: 0.75em, spacing: 1em)
#set footnote.entry(separator: line(length: 35%, stroke: 0.5pt), gap: 0.45em, clearance: 0.9em)
#show footnote.entry: set text(size: 7.5pt)
#show footnote.entry: set par(justify: false)
#show heading: set text(weight: "bold")
#show heading.where(level: 1): set text(size: 15pt)
#show heading.where(level: 2): set text(size: 12.5pt)
#show heading.where(level: 3): set text(size: 11pt)
#show heading.where(level: 4): set text(size: 10pt)
#show heading: it => block(above: 1.2em, below: 0.7em, it)

#let running = context {
  if counter(page).get().first() > 1 {
    set text(size: 7.5pt, fill: rgb("#555"))
    grid(columns: (1fr, auto), [#data.title #data.period], [#data.editionMark])
    v(-4pt)
    line(length: 100%, stroke: 0.4pt + rgb("#999"))
  }
}
#let pageNumber = context {
  if counter(page).get().first() > 1 {
    align(center, text(size: 8.5pt)[#counter(page).display("1 / 1", both: true)])
  }
}
#set page(paper: "a4", margin: (x: 20mm, top: 22mm, bottom: 22mm), header: running, footer: pageNumber)

// Cover
#align(center + horizon)[
  #text(size: 24pt, weight: "bold")[#data.title]
  #v(6mm)
  #text(size: 16pt)[#data.period]
  #v(18mm)
  #text(size: 12pt)[#data.dateLine]
  #v(3mm)
  #text(size: 12pt)[#data.center]
  #v(12mm)
  #box(stroke: 0.8pt, inset: (x: 8pt, y: 5pt))[#text(size: 10pt)[#data.editionMark]]
]
#pagebreak()

// Part 1: the situation, its footnotes numbered across the part.
#let citations(refs) = {
  for (i, r) in refs.enumerate() {
    if i > 0 { super[,] }
    if r.first [#footnote(r.note)#label("source-" + str(r.number))] else { footnote(label("source-" + str(r.number))) }
  }
}
= #data.partTitles.at(0)
#if data.situation.len() == 0 [#data.emptySituation]
#for (ci, chapter) in data.situation.enumerate() [
  == #(ci + 1). #chapter.title
  #for (si, section) in chapter.sections.enumerate() [
    === (#(si + 1)) #section.title
    #for group in section.groups [
      #if group.country != none [==== #group.country]
      // An item is not split across pages, so that its citations and their notes share a page.
      #for item in group.items [
        #block(breakable: false, below: 1.1em)[
          #block(below: 0.4em)[#text(weight: "bold")[#item.title]#h(0.6em)#text(size: 8.5pt, fill: rgb("#555"))[#item.date]]
          #item.summary#citations(item.refs)
        ]
      ]
    ]
  ]
]

// Part 2: the statistics, landscape so that every column fits; a table running onto the next page repeats its header.
#set page(flipped: true)
= #data.partTitles.at(1)
#data.statsIntro
#block(above: 0.6em, below: 0.8em)[
  #set text(size: 8pt, fill: rgb("#444"))
  #set par(spacing: 0.35em)
  #for note in data.stats.notes [#note \ ]
]
#align(right, text(size: 8pt)[#data.stats.unit])
#for block in data.stats.blocks [
  #text(weight: "bold", size: 10.5pt)[#block.title]
  #set text(size: 7.5pt)
  #table(
    columns: (34mm, 52mm, ..block.columns.map(_ => 1fr)),
    align: (x, y) => if x < 2 { left + horizon } else { right + horizon },
    stroke: 0.5pt + rgb("#888"),
    inset: (x: 4pt, y: 3.5pt),
    fill: (x, y) => if y == 0 { rgb("#e8ecf7") } else { none },
    table.header(
      ..if block.grouped { ([*#data.stats.groupHeading*], [*#data.stats.rowHeading*]) } else { (table.cell(colspan: 2)[*#data.stats.rowHeading*],) },
      ..block.columns.map(c => align(center)[*#c*]),
    ),
    ..block.rows.map(row => {
      let cells = ()
      if block.grouped {
        if row.groupSpan > 0 { cells.push(table.cell(rowspan: row.groupSpan)[#row.group]) }
        cells.push([#row.label])
      } else {
        cells.push(table.cell(colspan: 2)[#row.label])
      }
      for (i, c) in row.cells.enumerate() {
        cells.push(if row.missing.at(i) { text(fill: rgb("#666"))[#c] } else if row.bold { strong(c) } else { [#c] })
      }
      cells
    }).flatten(),
  )
  #v(4mm)
]

// Part 3: the approved lessons.
#set page(flipped: false)
= #data.partTitles.at(2)
#if data.lessons.len() == 0 [#data.emptyLessons]
#for (i, lesson) in data.lessons.enumerate() [
  == #(i + 1). #lesson.heading
  #lesson.body

]
`;

import type { Taxonomy } from '../../domain/taxonomy.js';
import { createdModified } from './stix.ids.js';
import { common, indicatorObject, producerIdentity, relationship, sectorIdentity } from './stix.common.js';
import type { Bilingual, StixAdvisoryInput, StixObject, StixProducer } from './stix.types.js';

/** ATT&CK techniques are named by MITRE's own source name in external references (ATT&CK's STIX data). */
const ATTACK_URL = (id: string) => `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;

/** The Japanese text first (kyoyu's language), the English after it where there is one. */
const both = (text: Bilingual): string => (text.en ? `${text.ja}\n\n${text.en}` : text.ja);
/** A name is one line: the first of the Japanese text, cut at 200 characters. */
const oneLine = (text: string): string => {
  const line = text.split('\n')[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
};

/**
 * An advisory as a Report (STIX 2.1 §4.14: name, published, object_refs) with what it is about:
 * a Vulnerability per CVE (§4.19, the CVE as an external reference with source_name `cve`, as
 * §2.5 "External Reference" names it), an Indicator per observable, an Attack Pattern per ATT&CK
 * technique (source_name `mitre-attack`), a Course of Action per recommended action (§4.3), the
 * sectors it is addressed to, and Relationships (course-of-action `mitigates` vulnerability,
 * indicator `indicates` attack-pattern, per §4.3.1 and §4.7.1). Ids are scoped to the advisory, so
 * that two advisories on the same CVE never send one id with two contents. English text goes in
 * a Language Content object (§7.1), the STIX way of a translation.
 */
export function advisoryObjects(
  a: StixAdvisoryInput,
  taxonomy: Taxonomy,
  producer: StixProducer,
): StixObject[] {
  const base = `advisory:${a.id}`;
  const times = createdModified(a.created, a.modified);
  const author = producerIdentity(producer);
  const by = { created_by_ref: author.id };
  const owned = (type: string, name: string): StixObject => ({ ...common(type, name, times, a.tlp), ...by });

  const productsText = a.products.map((p) => `${p.vendor} ${p.product} ${p.versions}`.trim()).join('; ');
  const cves = [...new Set([...a.cves, ...a.indicators.filter((i) => i.type === 'cve').map((i) => i.value)])];
  const vulnerabilities = cves.map((cve) => ({
    ...owned('vulnerability', `${base}|${cve}`),
    name: cve,
    ...(productsText ? { description: `Affected products (対象製品): ${productsText}` } : {}),
    external_references: [{ source_name: 'cve', external_id: cve }],
  }));
  const techniques = a.indicators
    .filter((i) => i.type === 'attack_technique')
    .map((i) => ({
      ...common('attack-pattern', `${base}|${i.value}`, times, i.tlp),
      ...by,
      name: i.value,
      external_references: [{ source_name: 'mitre-attack', external_id: i.value, url: ATTACK_URL(i.value) }],
    }));
  const indicators = a.indicators.flatMap((i) => {
    const o = indicatorObject(base, i, times);
    return o ? [{ ...o, ...by }] : [];
  });
  const actions = a.actions.map((action, n) => ({
    ...owned('course-of-action', `${base}|action|${n}`),
    name: oneLine(action.ja),
    description: both(action),
  }));
  const relationships = [
    ...actions.flatMap((coa) => vulnerabilities.map((v) => relationship(coa, 'mitigates', v, times, a.tlp))),
    ...indicators.flatMap((ind) => techniques.map((t) => relationship(ind, 'indicates', t, times, a.tlp))),
  ].map((r) => ({ ...r, ...by }));
  const sectors = a.sectors.map((code) => sectorIdentity(code, taxonomy));
  const about = [...vulnerabilities, ...techniques, ...indicators, ...actions, ...relationships, ...sectors];

  const report: StixObject = {
    ...owned('report', base),
    name: a.title.ja,
    description: a.body.ja,
    lang: 'ja',
    report_types: [vulnerabilities.length ? 'vulnerability' : 'threat-report'],
    published: times.created,
    labels: [`severity:${a.severity}`, `revision:${a.revision}`],
    ...(a.references.length
      ? { external_references: a.references.map((r) => ({ source_name: r.title, url: r.url })) }
      : {}),
    // A Report with nothing else would still need object_refs (one or more): it refers to its author.
    object_refs: about.length ? about.map((o) => o.id) : [author.id],
  };
  const translation =
    a.title.en || a.body.en
      ? [
          {
            ...owned('language-content', `${base}|en`),
            object_ref: report.id,
            object_modified: report.modified,
            contents: {
              en: {
                ...(a.title.en ? { name: a.title.en } : {}),
                ...(a.body.en ? { description: a.body.en } : {}),
              },
            },
          },
        ]
      : [];
  return [report, author, ...about, ...translation];
}

import type { IndicatorType } from '../../../../../src/domain/indicators.js';
import { checkIndicator } from '../../../../../src/domain/indicators.js';
import type { Tlp } from '../../../shared/api/types';
import type { AdvisoryBody, AdvisoryContent, AdvisoryKind, AdvisoryView, Severity } from '../api/advisories';

/**
 * The compose form's state: every field as typed (strings), rows that may be empty while being
 * written. `toBody` turns it into the API's body; `problems` names each field the server would
 * refuse, by the same rules (the indicators' check is the domain's `checkIndicator`).
 */
export interface Draft {
  kind: AdvisoryKind;
  severity: Severity;
  tlp: Tlp;
  audience: 'everyone' | 'sectors' | 'organizations';
  sectors: string[];
  organizations: string;
  titleJa: string;
  titleEn: string;
  bodyJa: string;
  bodyEn: string;
  cves: string[];
  products: Array<{ vendor: string; product: string; versions: string }>;
  /** `tlp`: a stricter marking an indicator was given (kept as it was through a revision). */
  indicators: Array<{ type: IndicatorType; value: string; tlp?: Tlp }>;
  actions: Array<{ ja: string; en: string }>;
  references: Array<{ title: string; url: string }>;
}

export function emptyDraft(kind: AdvisoryKind): Draft {
  return {
    kind,
    severity: 'medium',
    tlp: 'GREEN',
    audience: kind === 'agency_share' ? 'organizations' : 'sectors',
    sectors: [],
    organizations: '',
    titleJa: '',
    titleEn: '',
    bodyJa: '',
    bodyEn: '',
    cves: [],
    products: [],
    indicators: [],
    actions: [],
    references: [],
  };
}

/** A field's problem: the i18n key under `advisories.problems` and its values. */
export interface Problem {
  field: string;
  key: string;
  values?: Record<string, string>;
}

const isBlank = (text: string) => text.trim() === '';

export function organizationIds(text: string): number[] | null {
  const parts = text.split(/[\s,、]+/).filter(Boolean);
  if (!parts.every((p) => /^[1-9]\d{0,9}$/.test(p))) return null;
  return [...new Set(parts.map(Number))];
}

/** An indicator row's problem as the user types (null: fine, or still empty). */
export function indicatorProblem(type: IndicatorType, value: string): string | null {
  if (isBlank(value)) return null;
  const checked = checkIndicator(type, value);
  return checked.ok ? null : checked.reason;
}

export function problems(draft: Draft): Problem[] {
  const found: Problem[] = [];
  if (isBlank(draft.titleJa)) found.push({ field: 'title-ja', key: 'required' });
  if (isBlank(draft.bodyJa)) found.push({ field: 'body-ja', key: 'required' });
  if (draft.kind === 'advisory') {
    if (draft.audience === 'sectors' && draft.sectors.length === 0)
      found.push({ field: 'audience', key: 'noSector' });
    // Organisations: the whole audience, or (with sectors) those added to the sectors' ones.
    const ids = organizationIds(draft.organizations);
    if (draft.audience === 'organizations' && (!ids || ids.length === 0))
      found.push({ field: 'organizations', key: 'organizations' });
    if (draft.audience === 'sectors' && !ids) found.push({ field: 'organizations', key: 'organizations' });
  }
  draft.cves.forEach((cve, i) => {
    if (isBlank(cve)) return;
    const checked = checkIndicator('cve', cve);
    if (!checked.ok) found.push({ field: `cve-${i}`, key: 'indicator', values: { reason: checked.reason } });
  });
  draft.indicators.forEach((row, i) => {
    const reason = indicatorProblem(row.type, row.value);
    if (reason) found.push({ field: `indicator-${i}`, key: 'indicator', values: { reason } });
  });
  draft.products.forEach((row, i) => {
    if (isBlank(row.vendor) !== isBlank(row.product) || (isBlank(row.product) && !isBlank(row.versions)))
      found.push({ field: `product-${i}`, key: 'product' });
  });
  draft.references.forEach((row, i) => {
    if (isBlank(row.url) && isBlank(row.title)) return;
    if (!checkIndicator('url', row.url).ok) found.push({ field: `reference-${i}`, key: 'url' });
  });
  return found;
}

const localized = (ja: string, en: string) =>
  isBlank(en) ? { ja: ja.trim() } : { ja: ja.trim(), en: en.trim() };

/** The API's body; empty rows are left out (an unfilled row is not an error). */
export function toBody(draft: Draft): AdvisoryBody {
  const content: AdvisoryContent = {
    title: localized(draft.titleJa, draft.titleEn),
    body: localized(draft.bodyJa, draft.bodyEn),
    cves: draft.cves.filter((c) => !isBlank(c)).map((c) => c.trim()),
    affected_products: draft.products
      .filter((p) => !isBlank(p.product))
      .map((p) => ({ vendor: p.vendor.trim(), product: p.product.trim(), versions: p.versions.trim() })),
    indicators: draft.indicators
      .filter((row) => !isBlank(row.value))
      .map((row) => ({ type: row.type, value: row.value.trim(), ...(row.tlp ? { tlp: row.tlp } : {}) })),
    recommended_actions: draft.actions.filter((a) => !isBlank(a.ja)).map((a) => localized(a.ja, a.en)),
    references: draft.references
      .filter((r) => !isBlank(r.url))
      .map((r) => ({ title: r.title.trim() || r.url.trim(), url: r.url.trim() })),
  };
  const audience =
    draft.kind === 'agency_share'
      ? { everyone: false, sectors: [], organizations: [] }
      : {
          everyone: draft.audience === 'everyone',
          sectors: draft.audience === 'sectors' ? draft.sectors : [],
          organizations: draft.audience === 'everyone' ? [] : (organizationIds(draft.organizations) ?? []),
        };
  return { kind: draft.kind, tlp: draft.tlp, severity: draft.severity, audience, content };
}

/** The form's state for a revision: the current revision as it reads, every field as typed. */
export function draftOf(a: AdvisoryView): Draft {
  const { content, audience } = a;
  return {
    kind: a.kind,
    severity: a.severity,
    tlp: a.tlp,
    audience: audience.everyone
      ? 'everyone'
      : audience.sectors.length === 0 && audience.organizations.length > 0
        ? 'organizations'
        : 'sectors',
    sectors: [...audience.sectors],
    organizations: audience.organizations.join(', '),
    titleJa: content.title.ja,
    titleEn: content.title.en ?? '',
    bodyJa: content.body.ja,
    bodyEn: content.body.en ?? '',
    cves: [...content.cves],
    products: content.affected_products.map((p) => ({ ...p, versions: p.versions ?? '' })),
    indicators: content.indicators.map((i) => ({
      type: i.type,
      value: i.value,
      ...(i.tlp ? { tlp: i.tlp } : {}),
    })),
    actions: content.recommended_actions.map((x) => ({ ja: x.ja, en: x.en ?? '' })),
    references: content.references.map((r) => ({ title: r.title, url: r.url })),
  };
}

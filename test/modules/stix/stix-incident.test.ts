import { describe, expect, it } from 'vitest';
import { loadTaxonomy } from '../../../src/domain/taxonomy.js';
import type { StixIncidentInput } from '../../../src/modules/stix/index.js';
import { bundleOf, incidentObjects } from '../../../src/modules/stix/index.js';
import { stixProblems } from '../../support/stix-rules.js';

const taxonomy = loadTaxonomy();

/** A demo-like record as the incidents module presents it, with an indicator naming the victim's host. */
const record = (over: Partial<StixIncidentInput> = {}): StixIncidentInput => ({
  id: 7,
  ref: 'KY-2024-0000-0000-0X0',
  channel: 'operator_report',
  organization: '東雲電力株式会社',
  sector: 'water',
  title: '浄水場の監視端末 wtp-hmi-02 が暗号化',
  description: '10.1.2.3 からの侵入',
  stage: 'initial',
  occurred_at: null,
  detected_at: null,
  first_received_at: '2024-05-01T00:00:00.000Z',
  classification: {
    event: 'integrity.destruction',
    causes: ['accidental.vulnerability'],
    attack_type: 'ransomware',
    by: 'reporter',
  },
  tlp: 'GREEN',
  state: 'received',
  state_reason: null,
  final_received_at: null,
  created_at: '2024-05-01T00:00:01.000Z',
  updated_at: '2024-05-01T00:00:01.000Z',
  indicators: [
    { type: 'ipv4', value: '10.1.2.3', tlp: 'AMBER' },
    { type: 'domain', value: 'wtp-hmi-02.example.jp', tlp: 'GREEN' },
  ],
  ...over,
});
const organizations = (i: StixIncidentInput, anonymise = false) =>
  incidentObjects(i, { anonymise }, taxonomy).filter((o) => o.identity_class === 'organization');

describe('an incident as STIX objects', () => {
  it('names the organisation only with its consent, under CLEAR or GREEN, and never anonymised', () => {
    expect(organizations(record())).toEqual([]);
    expect(organizations(record({ organization_consent: true }))).toMatchObject([
      { name: '東雲電力株式会社', sectors: ['infrastructure-water'] },
    ]);
    expect(organizations(record({ organization_consent: true, tlp: 'AMBER' }))).toEqual([]);
    expect(organizations(record({ organization_consent: true }), true)).toEqual([]);
    const bundle = bundleOf(
      incidentObjects(record({ organization_consent: true }), { anonymise: false }, taxonomy),
    );
    expect(stixProblems(bundle)).toEqual([]);
  });

  it('carries its indicators with valid patterns, and none when anonymised (an address may be the victim’s)', () => {
    const plain = bundleOf(incidentObjects(record(), { anonymise: false }, taxonomy));
    expect(stixProblems(plain)).toEqual([]);
    expect(plain.objects.filter((o) => o.type === 'indicator').map((o) => o.pattern)).toEqual([
      "[ipv4-addr:value = '10.1.2.3']",
      "[domain-name:value = 'wtp-hmi-02.example.jp']",
    ]);
    const anonymised = JSON.stringify(bundleOf(incidentObjects(record(), { anonymise: true }, taxonomy)));
    for (const planted of ['10.1.2.3', 'wtp-hmi-02', '東雲電力']) expect(anonymised).not.toContain(planted);
  });

  it('says what the center decided: a rejected record is a false positive, a precursor a failed attempt', () => {
    const ext = (i: StixIncidentInput) =>
      incidentObjects(i, { anonymise: true }, taxonomy)[0]!.extensions as Record<
        string,
        Record<string, unknown>
      >;
    const core = (i: StixIncidentInput) =>
      ext(i)['extension-definition--ef765651-680c-498d-9894-99799f2fa126']!;
    expect(core(record())).toMatchObject({ determination: 'suspected', investigation_status: 'new' });
    expect(core(record({ state: 'rejected', state_reason: 'test' }))).toMatchObject({
      determination: 'false-positive',
      investigation_status: 'closed',
    });
    const precursor = record({
      classification: {
        event: 'not_occurred.precursor',
        causes: ['other.unknown'],
        attack_type: null,
        by: 'center',
      },
    });
    expect(core(precursor)).toMatchObject({ determination: 'failed-attempt', incident_types: ['blocked'] });
    // No C/I/A effect stated: no Impact object, no impact_refs.
    expect(core(precursor).impact_refs).toBeUndefined();
    expect(incidentObjects(precursor, { anonymise: true }, taxonomy).some((o) => o.type === 'impact')).toBe(
      false,
    );
    // An unclassified record stays suspected, typeless, named by its sector only.
    const bare = incidentObjects(record({ classification: null }), { anonymise: true }, taxonomy);
    expect(bare[0]!.name).toMatch(/^Unclassified incident .*: Water/);
    expect(stixProblems(bundleOf(bare))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { loadTaxonomy } from '../../../src/domain/taxonomy.js';
import { stixPattern } from '../../../src/domain/indicators.js';
import type { StixAdvisoryInput, StixObject } from '../../../src/modules/stix/index.js';
import { advisoryObjects, bundleOf, checkStixPattern } from '../../../src/modules/stix/index.js';
import { patternProblem, stixProblems } from '../../support/stix-rules.js';

const taxonomy = loadTaxonomy();
const producer = { name: 'National Cybersecurity Office' };

/** A demo-like advisory: a VPN appliance vulnerability exploited in the wild (the seed's 1.1.4). */
export const advisory = (revision = 1): StixAdvisoryInput => ({
  id: 41,
  revision,
  created: '2023-08-01T01:00:00.000Z',
  modified: revision === 1 ? '2023-08-01T01:00:00.000Z' : `2023-08-0${1 + revision}T03:00:00.000Z`,
  tlp: 'AMBER',
  severity: 'high',
  title: { ja: 'VPN装置の脆弱性を悪用した攻撃', en: 'Attacks exploiting a VPN appliance vulnerability' },
  body: { ja: '悪用が確認されています。', en: 'Exploitation has been observed.' },
  cves: ['CVE-2023-27997'],
  products: [{ vendor: 'Fortinet', product: 'FortiOS', versions: '< 7.2.5' }],
  indicators: [
    { type: 'ipv4', value: '203.0.113.10', tlp: 'AMBER' },
    { type: 'ipv6', value: '2001:db8::1', tlp: 'AMBER' },
    { type: 'domain', value: "evil'quote.example", tlp: 'GREEN' },
    { type: 'url', value: 'https://c2.example/path\\x', tlp: 'AMBER' },
    { type: 'email', value: 'phish@bad.example', tlp: 'AMBER' },
    { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', tlp: 'AMBER' },
    { type: 'sha256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', tlp: 'RED' },
    { type: 'cve', value: 'CVE-2022-40684', tlp: 'AMBER' },
    { type: 'attack_technique', value: 'T1190', tlp: 'AMBER' },
  ],
  actions: [
    { ja: '修正版へ更新する\n詳細は参照先', en: 'Update to a fixed version' },
    { ja: 'ログを確認する' },
  ],
  references: [{ title: 'PSIRT', url: 'https://www.fortiguard.com/psirt/FG-IR-23-097' }],
  sectors: ['electricity', 'gas'],
});

const byType = (objects: readonly StixObject[], type: string) => objects.filter((o) => o.type === type);

describe('an advisory as a STIX 2.1 Report', () => {
  const bundle = bundleOf(advisoryObjects(advisory(), taxonomy, producer));

  it('keeps every STIX rule the checker knows', () => {
    expect(stixProblems(bundle)).toEqual([]);
  });

  it('refers to everything it carries, with CVEs, patterns, actions and the markings its objects use', () => {
    const [report] = byType(bundle.objects, 'report');
    const refs = new Set(report!.object_refs as string[]);
    const others = bundle.objects.filter(
      (o) =>
        o.type !== 'report' &&
        o.type !== 'marking-definition' &&
        o.type !== 'language-content' &&
        o.id !== report!.created_by_ref,
    );
    expect(others.length).toBeGreaterThan(10);
    for (const o of others) expect(refs.has(o.id), o.id).toBe(true);
    expect(byType(bundle.objects, 'vulnerability').map((v) => v.external_references)).toEqual([
      [{ source_name: 'cve', external_id: 'CVE-2023-27997' }],
      [{ source_name: 'cve', external_id: 'CVE-2022-40684' }],
    ]);
    const patterns = byType(bundle.objects, 'indicator').map((i) => [
      i.pattern,
      i.pattern_type,
      i.valid_from,
    ]);
    expect(patterns).toContainEqual([
      "[domain-name:value = 'evil\\'quote.example']",
      'stix',
      '2023-08-01T01:00:00.000Z',
    ]);
    expect(patterns).toHaveLength(7);
    expect(byType(bundle.objects, 'course-of-action').map((c) => c.name)).toEqual([
      '修正版へ更新する',
      'ログを確認する',
    ]);
    expect(byType(bundle.objects, 'attack-pattern')[0]!.external_references).toMatchObject([
      { source_name: 'mitre-attack', external_id: 'T1190' },
    ]);
    const markings = byType(bundle.objects, 'marking-definition')
      .map((m) => m.name)
      .sort();
    expect(markings).toEqual(['TLP:AMBER', 'TLP:CLEAR', 'TLP:GREEN', 'TLP:RED']);
    const [english] = byType(bundle.objects, 'language-content');
    expect(english!.contents).toEqual({
      en: {
        name: 'Attacks exploiting a VPN appliance vulnerability',
        description: 'Exploitation has been observed.',
      },
    });
  });

  it('exports with the same ids every time; a revision moves modified, not created', () => {
    const again = bundleOf(advisoryObjects(advisory(), taxonomy, producer));
    expect(again).toEqual(bundle);
    const revised = bundleOf(advisoryObjects(advisory(2), taxonomy, producer));
    expect(stixProblems(revised)).toEqual([]);
    const [before] = byType(bundle.objects, 'report');
    const [after] = byType(revised.objects, 'report');
    expect(after!.id).toBe(before!.id);
    expect(after!.created).toBe(before!.created);
    expect(after!.modified).toBe('2023-08-03T03:00:00.000Z');
    expect(revised.id).not.toBe(bundle.id);
  });
});

/** A valid minimal bundle to break one rule at a time. */
function sample(): { type: string; id: string; objects: Array<Record<string, unknown>> } {
  return JSON.parse(JSON.stringify(bundleOf(advisoryObjects(advisory(), taxonomy, producer)))) as ReturnType<
    typeof sample
  >;
}
const first = (b: ReturnType<typeof sample>, type: string) => b.objects.find((o) => o.type === type)!;

describe('the rule checker fails bundles that break a rule', () => {
  const cases: Array<[string, (b: ReturnType<typeof sample>) => void, RegExp]> = [
    [
      'an id with a v1 UUID',
      (b) => (first(b, 'vulnerability').id = 'vulnerability--1621d4d4-b67d-11e3-9670-f01faf20d111'),
      /id is not/,
    ],
    ['an id of another type', (b) => (first(b, 'vulnerability').id = first(b, 'indicator').id), /id is not/],
    ['no spec_version', (b) => delete first(b, 'indicator').spec_version, /spec_version/],
    [
      'a timestamp without Z',
      (b) => (first(b, 'indicator').modified = '2023-08-01T01:00:00.000+09:00'),
      /modified/,
    ],
    ['seconds only', (b) => (first(b, 'indicator').created = '2023-08-01T01:00:00Z'), /created/],
    [
      'modified before created',
      (b) => (first(b, 'report').modified = '2022-01-01T00:00:00.000Z'),
      /before created/,
    ],
    ['a report without object_refs', (b) => (first(b, 'report').object_refs = []), /object_refs required/],
    [
      'an unbalanced pattern',
      (b) => (first(b, 'indicator').pattern = "[ipv4-addr:value = '1.2.3.4'"),
      /pattern/,
    ],
    [
      'a pattern without operator',
      (b) => (first(b, 'indicator').pattern = "[ipv4-addr:value '1.2.3.4']"),
      /pattern/,
    ],
    [
      'a pattern with a bad escape',
      (b) => (first(b, 'indicator').pattern = "[url:value = 'a\\b']"),
      /pattern/,
    ],
    [
      'a dangling reference',
      (b) =>
        ((first(b, 'relationship') as { target_ref: string }).target_ref =
          'vulnerability--0d6b2c1a-7e3f-4a5b-8c9d-000000000000'),
      /does not resolve/,
    ],
    [
      'a marking not in the bundle',
      (b) => (b.objects = b.objects.filter((o) => o.name !== 'TLP:RED')),
      /does not resolve/,
    ],
    [
      'a TLP marking with other content',
      (b) => (b.objects.find((o) => o.name === 'TLP:GREEN')!.created = '2023-01-01T00:00:00.000Z'),
      /official TLP/,
    ],
    ['an object twice', (b) => b.objects.push(first(b, 'report')), /twice/],
    ['a bundle with spec_version', (b) => Object.assign(b, { spec_version: '2.1' }), /spec_version/],
  ];
  it.each(cases)('%s', (_name, breakIt, problem) => {
    const b = sample();
    expect(stixProblems(b)).toEqual([]);
    breakIt(b);
    expect(stixProblems(b).join('\n')).toMatch(problem);
  });

  it('checks the incident core and Impact extensions as they define their properties', () => {
    const incident = {
      type: 'incident',
      spec_version: '2.1',
      id: 'incident--5d2e1f0a-3b4c-4d5e-8f60-718293a4b5c6',
      created: '2023-10-05T00:00:00.000Z',
      modified: '2023-10-05T00:00:00.000Z',
      name: 'x',
      extensions: {
        'extension-definition--ef765651-680c-498d-9894-99799f2fa126': {
          extension_type: 'property-extension',
          determination: 'confirmed',
          investigation_status: 'open',
          incident_types: [],
          impacted_entity_counts: { Organizations: 1.5 },
          impact_refs: ['impact--0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d'],
        },
      },
    };
    const impact = {
      type: 'impact',
      spec_version: '2.1',
      id: 'impact--0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d',
      created: '2023-10-05T00:00:00.000Z',
      modified: '2023-10-05T00:00:00.000Z',
      impact_category: 'availability',
      extensions: {
        'extension-definition--7cc33dd6-f6a1-489b-98ea-522d351d71b9': { extension_type: 'new-sdo' },
        availability: { availability_impact: 150 },
      },
    };
    const problems = stixProblems({
      type: 'bundle',
      id: 'bundle--5d2e1f0a-3b4c-4d5e-8f60-718293a4b5c7',
      objects: [incident, impact],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/determination/),
        expect.stringMatching(/incident_types/),
        expect.stringMatching(/impacted_entity_counts/),
        expect.stringMatching(/availability_impact/),
      ]),
    );
  });
});

describe('patterns: what kyoyu emits, the import accepts and the checker passes', () => {
  const valid = [
    ...(['ipv4', 'ipv6', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'sha512'] as const).map((t) =>
      stixPattern(t, t === 'url' ? "https://x.example/it's\\here" : '0123456789abcdef0123456789abcdef')!,
    ),
    "[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = '198.51.100.2']",
    "[file:hashes.'SHA-256' = 'aa' AND file:size > 10] FOLLOWEDBY [url:value LIKE 'http%']",
    "([domain-name:value = 'a.example'] AND [domain-name:value NOT = 'b.example'])",
    "[network-traffic:dst_ref.value IN ('198.51.100.1', '198.51.100.2')]",
    "[email-message:to_refs[*].value MATCHES '^x@']",
    "[file:created > t'2023-01-01T00:00:00Z' AND file:hashes.MD5 = h'ab']",
  ];
  const invalid = [
    '',
    "ipv4-addr:value = '1.2.3.4'",
    "[ipv4-addr:value = '1.2.3.4']]",
    "[ipv4-addr:value == '1.2.3.4']",
    "[ipv4-addr:value = '1.2.3.4' XOR ipv4-addr:value = '1']",
    "[IPV4:value = '1']",
    '[ipv4-addr:value = "1.2.3.4"]',
    "[ipv4-addr:value = '1.2.3.4'] AND",
    '[ipv4-addr:value IN ()]',
  ];
  it.each(valid)('valid: %s', (p) => {
    expect(checkStixPattern(p)).toBeNull();
    expect(patternProblem(p)).toBeNull();
  });
  it.each(invalid)('invalid: %s', (p) => {
    expect(checkStixPattern(p)).not.toBeNull();
    expect(patternProblem(p)).not.toBeNull();
  });
});

import type { Services } from '../services.js';

const at = (now: Date, daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();

/**
 * What a partner ISAC shared with the center this week, as the STIX 2.1 bundle it would send:
 * two indicators, a vulnerability and the report naming them, so that a newcomer finds the
 * incoming-intelligence page with something to triage. Ids are fixed: loading twice adds nothing.
 */
export function demoIntelBundle(now: Date) {
  const identity = 'identity--5a1b0e2f-8f3c-4c55-9d0e-6a1f4b3c2d11';
  const created = at(now, 3);
  const common = { spec_version: '2.1', created, modified: created, created_by_ref: identity };
  const objects = [
    {
      type: 'identity',
      spec_version: '2.1',
      id: identity,
      created,
      modified: created,
      name: 'Partner ISAC (demo)',
      identity_class: 'organization',
    },
    {
      type: 'indicator',
      id: 'indicator--0d6e3a52-1f7b-4d61-8a3e-2c9b7f5e4a01',
      ...common,
      name: 'VPN装置を狙うスキャン元 / Scanner targeting VPN appliances',
      description: 'Observed scanning SSL-VPN portals of energy operators since last week.',
      pattern: "[ipv4-addr:value = '198.51.100.23']",
      pattern_type: 'stix',
      valid_from: created,
      indicator_types: ['malicious-activity'],
    },
    {
      type: 'indicator',
      id: 'indicator--4b7c1e90-6a2d-4f83-9b5e-7d0a3c6f8e02',
      ...common,
      name: 'フィッシングの送信元ドメイン / Phishing sender domain',
      pattern: "[domain-name:value = 'login-portal.example.net']",
      pattern_type: 'stix',
      valid_from: created,
      indicator_types: ['malicious-activity'],
    },
    {
      type: 'vulnerability',
      id: 'vulnerability--9e2f6c41-3b8a-4d17-a5c0-1f4e7b2d9c03',
      ...common,
      name: 'CVE-2024-3400',
      description: 'PAN-OS GlobalProtect command injection, exploited in the wild.',
      external_references: [{ source_name: 'cve', external_id: 'CVE-2024-3400' }],
    },
    {
      type: 'report',
      id: 'report--2c5a8e17-7d4b-4e96-b1f3-8a6c0d2e5f04',
      ...common,
      name: '週次共有: VPN装置への攻撃 / Weekly share: attacks on VPN appliances',
      published: created,
      report_types: ['threat-report'],
      object_refs: [
        'indicator--0d6e3a52-1f7b-4d61-8a3e-2c9b7f5e4a01',
        'indicator--4b7c1e90-6a2d-4f83-9b5e-7d0a3c6f8e02',
        'vulnerability--9e2f6c41-3b8a-4d17-a5c0-1f4e7b2d9c03',
      ],
    },
  ];
  return { type: 'bundle' as const, id: 'bundle--7f3e9a21-5c6d-4b80-9e1a-3d2f8c4b6a05', objects };
}

export async function loadDemoIntel(services: Services, now: Date): Promise<void> {
  await services.stix.importFile('partner-isac-weekly.json', demoIntelBundle(now));
}

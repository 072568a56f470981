/** Valid request bodies, for tests that walk every route (the center may send them all). */

export const report = (title: string, organization = 'Idem Power') => ({
  channel: 'operator_report',
  received_at: '2023-11-02T09:00:00+09:00',
  organization,
  sector: 'electricity',
  title,
  description: '制御系ネットワークへの不審な通信',
  stage: 'initial',
  event: 'leading.intrusion',
  causes: ['intentional.id_spoofing'],
  attack_type: 'other',
});

export const share = (title: string) => ({
  received_at: '2023-07-20T10:00:00+09:00',
  title,
  body: 'advisory text',
});

export const stage = (description: string) => ({
  stage: 'update',
  received_at: '2023-11-03T09:00:00+09:00',
  description,
  event: 'leading.intrusion',
  causes: ['intentional.id_spoofing'],
  attack_type: 'other',
});

export const classification = () => ({
  event: 'availability.disruption',
  causes: ['intentional.ddos'],
  attack_type: 'ddos',
});

/**
 * A valid body per `METHOD url`, numbered so that two samples differ. A new POST route gets one
 * here (the idempotency test replays it), or `config: { idempotency: false }` if its answer
 * carries a secret.
 */
export const SAMPLES: Record<string, (n: number) => Record<string, unknown>> = {
  'POST /api/v1/incidents': (n) => report(`sample ${n}`),
  'POST /api/v1/incidents/:id/reports': (n) => stage(`sample ${n}`),
  'POST /api/v1/agency-shares': (n) => share(`sample ${n}`),
  'POST /api/v1/center-provisions': (n) => share(`sample ${n}`),
  'PUT /api/v1/incidents/:id/classification': () => classification(),
  'POST /api/v1/intel/bundles': (n) => ({
    type: 'bundle',
    id: `bundle--3c9e1f20-5a4b-4d6c-8e7f-${String(n).padStart(12, '0')}`,
    objects: [
      {
        type: 'vulnerability',
        spec_version: '2.1',
        id: `vulnerability--7b2e4d10-1c3a-4f5e-9a8b-${String(n).padStart(12, '0')}`,
        created: '2024-05-01T00:00:00.000Z',
        modified: '2024-05-01T00:00:00.000Z',
        name: `CVE-2024-${String(1000 + n)}`,
      },
    ],
  }),
};

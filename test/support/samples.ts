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
};

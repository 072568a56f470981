import type { Services } from '../services.js';
import { inTransaction } from '../platform/db/transaction.js';
import { recipientOrganizations } from '../modules/advisories/advisory.repository.js';
import { membersOf } from '../modules/advisories/advisory.repository.js';
import type { ActionStatus, Audience } from '../modules/advisories/advisory.schema.js';
import { ACTION_STATUSES, reviseAdvisoryBody, SEVERITIES } from '../modules/advisories/advisory.schema.js';
import { publishAdvisory } from '../modules/advisories/advisory.publish.js';

/** The sectors the demo's advisories go to, in turn (every fifth goes to everyone). */
const SECTOR_PAIRS = [
  ['electricity', 'gas'],
  ['finance', 'credit'],
  ['information_communication', 'electricity'],
  ['medical', 'water'],
  ['railway', 'aviation', 'airport'],
];
const CVES = ['CVE-2024-3400', 'CVE-2023-46805', 'CVE-2024-21887', 'CVE-2023-4966', 'CVE-2024-21762'];
const PRODUCTS = [
  { vendor: 'Palo Alto Networks', product: 'PAN-OS GlobalProtect', versions: '10.2, 11.0, 11.1' },
  { vendor: 'Ivanti', product: 'Connect Secure', versions: '9.x, 22.x' },
  { vendor: 'Citrix', product: 'NetScaler ADC', versions: '13.1 < 13.1-49.15' },
  { vendor: 'Fortinet', product: 'FortiOS SSL-VPN', versions: '7.0 < 7.0.14' },
];

/**
 * Turns some of the demo's generated center provisions (FY2023 and the running year) into
 * advisories: addressed to sectors or to everyone, with CVEs and indicators, and with receipts in
 * every state (untouched, read, acknowledged, acted on), so that the follow-up view shows something.
 * No record is added: the provisions are already counted, so the published FY2023 figures stay exact.
 */
export async function loadDemoAdvisories(services: Services, analystEmail: string, operatorEmail: string) {
  const { db } = services.database;
  const users = await db.selectFrom('users').select(['id', 'email', 'organization_id']).execute();
  const analyst = users.find((u) => u.email === analystEmail)!;
  const operator = users.find((u) => u.email === operatorEmail)!;
  const provisions = await db
    .selectFrom('incidents')
    .select(['id', 'ref', 'title', 'description', 'tlp', 'first_received_at'])
    .where('channel', '=', 'center_provision')
    .where('source', '=', 'demo')
    .orderBy('first_received_at')
    .execute();
  const fy2023 = provisions.filter((p) => p.ref.startsWith('FY2023-')).filter((_, i) => i % 10 === 0);
  const chosen = [...fy2023, ...provisions.slice(-6)];
  await inTransaction(services.database, async (trx) => {
    for (const [n, p] of chosen.entries()) {
      const audience: Audience =
        n % 5 === 4
          ? { everyone: true, sectors: [], organizations: [] }
          : { everyone: false, sectors: SECTOR_PAIRS[n % SECTOR_PAIRS.length]!, organizations: [] };
      const tlp = p.tlp === 'RED' ? 'AMBER' : p.tlp;
      await trx.updateTable('incidents').set({ audience: 'addressed', tlp }).where('id', '=', p.id).execute();
      const members = membersOf(audience);
      await trx
        .insertInto('record_audience')
        .values(members.map((member) => ({ incident_id: p.id, member })))
        .execute();
      const at = p.first_received_at;
      const { id } = await trx
        .insertInto('advisories')
        .values({
          incident_id: p.id,
          kind: 'advisory',
          severity: SEVERITIES[n % 4]!,
          revision: 1,
          created_at: at,
          created_by: analyst.id,
          updated_at: at,
          updated_by: analyst.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const content = {
        title: { ja: p.title },
        body: { ja: p.description },
        cves: [CVES[n % CVES.length]!],
        affected_products: [PRODUCTS[n % PRODUCTS.length]!],
        indicators: [
          { type: 'ipv4', value: `203.0.113.${10 + n}` },
          { type: 'domain', value: `update-check${n}.example.net` },
        ],
        recommended_actions: [{ ja: '修正版を適用し、侵害の痕跡を確認してください。' }],
        references: [{ title: 'JVN', url: `https://jvn.example/${CVES[n % CVES.length]!}` }],
      };
      await trx
        .insertInto('advisory_revisions')
        .values({
          advisory_id: id,
          revision: 1,
          content: JSON.stringify(content),
          tlp,
          audience: JSON.stringify(audience),
          author_user_id: analyst.id,
          at,
        })
        .execute();
      // Into the TAXII collections its audience reaches, as the service publishes a new one.
      await publishAdvisory(
        trx,
        services.taxiiStore,
        services.taxonomy,
        { name: services.config.centerName.en },
        {
          advisoryId: id,
          revision: 1,
          created: at,
          modified: at,
          body: reviseAdvisoryBody.parse({ tlp, severity: SEVERITIES[n % 4]!, audience, content }),
          audience,
        },
      );
      const organizations = await recipientOrganizations(trx, audience, analyst.organization_id);
      for (const [k, organization_id] of organizations.entries()) {
        // Receipts in every state: untouched, read, acknowledged, acted on (older advisories further along).
        const state = (k + n) % 4;
        const by = organization_id === operator.organization_id ? operator.id : null;
        const later = (hours: number) => new Date(Date.parse(at) + hours * 3_600_000).toISOString();
        const status: ActionStatus = ACTION_STATUSES[(k + n) % ACTION_STATUSES.length]!;
        await trx
          .insertInto('advisory_receipts')
          .values({
            advisory_id: id,
            organization_id,
            created_at: at,
            ...(state >= 1 ? { read_at: later(2), read_by: by } : {}),
            ...(state >= 2 ? { acknowledged_at: later(5), acknowledged_by: by } : {}),
            ...(state >= 3
              ? {
                  action_status: status,
                  action_note: '対応状況を確認中',
                  action_at: later(30),
                  action_by: by,
                }
              : {}),
          })
          .execute();
        if (organization_id === operator.organization_id)
          await trx
            .insertInto('notifications')
            .values({ user_id: operator.id, kind: 'advisory', incident_id: p.id, created_at: at })
            .execute();
      }
    }
    await services.audit.append(
      trx,
      { userId: null, label: 'system' },
      { action: 'advisories.demo', details: { advisories: chosen.length } },
    );
  });
  return chosen.length;
}

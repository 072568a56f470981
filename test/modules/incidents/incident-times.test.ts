import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../../src/access/index.js';
import type { NewReport, StageInput } from '../../../src/modules/incidents/incident.policy.js';
import type { IncidentView } from '../../../src/modules/incidents/incident.view.js';
import { AppError } from '../../../src/platform/errors.js';
import { makeUser } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { wholeState } from '../../support/state.js';

/** Occurred and detected times through the service: stored on both dialects, refused in order. */

const report = (over: Partial<NewReport> = {}): NewReport => ({
  channel: 'operator_report',
  received_at: '2024-05-10T12:00:00+09:00',
  sector: 'electricity',
  title: 'times',
  description: 'what happened',
  stage: 'initial',
  event: 'other',
  causes: ['other.unknown'],
  attack_type: null,
  ...over,
});
const stage = (over: Partial<StageInput> = {}): StageInput => ({
  stage: 'update',
  received_at: '2024-05-11T09:00:00+09:00',
  description: 'an update',
  event: 'other',
  causes: ['other.unknown'],
  ...over,
});
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

describeEachDialect('occurred and detected times on %s', (dialect) => {
  let ctx: TestContext;
  let operator: Actor;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    const user = await makeUser(ctx.services, 'operator', 'Times Power');
    operator = (await ctx.services.accounts.actorForToken(user.token))!;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const submit = async (over: Partial<NewReport>) =>
    (await ctx.services.incidents.submit(operator, report(over))).incident as IncidentView;
  const stored = (id: number) =>
    ctx.services.database.db
      .selectFrom('incidents')
      .select(['occurred_at', 'detected_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const refusal = async (work: () => Promise<unknown>): Promise<{ code: string; field?: string }> => {
    const before = await wholeState(ctx.services);
    const error = await work().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(await wholeState(ctx.services)).toEqual(before);
    const e = error as AppError;
    expect(e.status).toBe(400);
    return { code: e.code, field: (e.details as Array<{ field: string }> | undefined)?.[0]?.field };
  };

  it('stores both times as UTC instants and returns them, on the incident and its report', async () => {
    // The one-statement write (PostgreSQL) and the transaction path both write the columns.
    const view = await submit({
      title: 'with times',
      occurred_at: '2024-05-09T23:30:00+09:00',
      detected_at: '2024-05-10T08:15:00+09:00',
    });
    expect(view.occurred_at).toBe('2024-05-09T14:30:00.000Z');
    expect(view.detected_at).toBe('2024-05-09T23:15:00.000Z');
    expect(await stored(view.id)).toEqual({
      occurred_at: '2024-05-09T14:30:00.000Z',
      detected_at: '2024-05-09T23:15:00.000Z',
    });
    const read = await ctx.services.incidents.get(operator, view.id);
    expect([read.occurred_at, read.detected_at]).toEqual([view.occurred_at, view.detected_at]);
    expect(read.reports!.map((r) => [r.occurred_at, r.detected_at])).toEqual([
      ['2024-05-09T14:30:00.000Z', '2024-05-09T23:15:00.000Z'],
    ]);
  });

  it('leaves them null when not given; a stage report fills one in and a later one corrects it', async () => {
    const view = await submit({ title: 'filled in later' });
    expect([view.occurred_at, view.detected_at]).toEqual([null, null]);
    await ctx.services.incidents.addStage(operator, view.id, stage({ detected_at: '2024-05-10T02:00:00Z' }));
    expect(await stored(view.id)).toEqual({ occurred_at: null, detected_at: '2024-05-10T02:00:00.000Z' });
    const corrected = await ctx.services.incidents.addStage(
      operator,
      view.id,
      stage({
        received_at: '2024-05-12T09:00:00+09:00',
        occurred_at: '2024-05-08T00:00:00Z',
        detected_at: '2024-05-09T00:00:00Z',
      }),
    );
    const answer = corrected.incident as IncidentView;
    expect([answer.occurred_at, answer.detected_at]).toEqual([
      '2024-05-08T00:00:00.000Z',
      '2024-05-09T00:00:00.000Z',
    ]);
    // A report that names neither keeps what the latest naming report said.
    await ctx.services.incidents.addStage(operator, view.id, stage({ received_at: '2024-05-13T09:00:00Z' }));
    expect(await stored(view.id)).toEqual({
      occurred_at: '2024-05-08T00:00:00.000Z',
      detected_at: '2024-05-09T00:00:00.000Z',
    });
    // Each report keeps what it said.
    const reports = (await ctx.services.incidents.get(operator, view.id)).reports!;
    expect(reports.map((r) => r.detected_at)).toEqual([
      null,
      '2024-05-10T02:00:00.000Z',
      '2024-05-09T00:00:00.000Z',
      null,
    ]);
  });

  it('a report that only corrects the times is a new report, not a repeat', async () => {
    const view = await submit({ title: 'correction only' });
    const again = await ctx.services.incidents.addStage(operator, view.id, stage());
    expect(again.stageAdded).toBe(true);
    const repeat = await ctx.services.incidents.addStage(operator, view.id, stage());
    expect(repeat.stageAdded).toBe(false);
    const correction = await ctx.services.incidents.addStage(
      operator,
      view.id,
      stage({ occurred_at: '2024-05-01T00:00:00Z' }),
    );
    expect(correction.stageAdded).toBe(true);
  });

  it('refuses times out of order or in the future with a code each, changing nothing', async () => {
    const cases: Array<[Partial<NewReport>, string, string]> = [
      [{ occurred_at: inHours(2) }, 'time_in_future', 'body.occurred_at'],
      [{ detected_at: inHours(2) }, 'time_in_future', 'body.detected_at'],
      [
        { occurred_at: '2024-05-10T10:00:00+09:00', detected_at: '2024-05-10T09:00:00+09:00' },
        'detected_before_occurred',
        'body.detected_at',
      ],
      [{ detected_at: '2024-05-10T12:00:01+09:00' }, 'received_before_detected', 'body.detected_at'],
      [{ occurred_at: '2024-05-10T13:00:00+09:00' }, 'received_before_occurred', 'body.occurred_at'],
    ];
    for (const [over, code, field] of cases)
      expect(await refusal(() => submit({ title: `bad ${code}`, ...over }))).toEqual({ code, field });
    // Equal instants are in order: detected the moment it happened, reported at once.
    const same = '2024-05-10T12:00:00+09:00';
    expect((await submit({ title: 'same', occurred_at: same, detected_at: same })).detected_at).toBe(
      '2024-05-10T03:00:00.000Z',
    );
  });

  it('refuses a stage report whose times contradict what the incident holds, changing nothing', async () => {
    const view = await submit({ title: 'holds times', occurred_at: '2024-05-10T01:00:00Z' });
    // Alone this report is in order; with the incident's occurred_at it is not.
    expect(
      await refusal(() =>
        ctx.services.incidents.addStage(operator, view.id, stage({ detected_at: '2024-05-10T00:00:00Z' })),
      ),
    ).toEqual({ code: 'detected_before_occurred', field: 'detected_at' });
    // Detected after the first report was received: refused, though before this report's received time.
    expect(
      await refusal(() =>
        ctx.services.incidents.addStage(operator, view.id, stage({ detected_at: '2024-05-10T04:00:00Z' })),
      ),
    ).toEqual({ code: 'received_before_detected', field: 'detected_at' });
    expect(
      await refusal(() =>
        ctx.services.incidents.addStage(operator, view.id, stage({ occurred_at: inHours(1) })),
      ),
    ).toEqual({ code: 'time_in_future', field: 'body.occurred_at' });
  });
});

import type { Classification } from '../domain/counting.js';
import type { QuarterTarget } from './dataset-target.js';
import { checkQuarterTarget } from './dataset-target.js';
import type { Rng } from './rng.js';

/*
 * Plausibility preferences. They only order the choices; the counts are met whatever they say, so
 * a code missing here (a changed taxonomy) merely loses its preference.
 */
const ATTACK_AFFINITY: Record<string, Record<string, number>> = {
  ddos: { 'availability.disruption': 6 },
  ransomware: { 'integrity.destruction': 6, 'availability.disruption': 4, 'leading.malicious_code': 2 },
  malware_other: { 'leading.malware_infection': 6, 'leading.malicious_code': 4, 'not_occurred.precursor': 2 },
  other: {
    'leading.intrusion': 5,
    'confidentiality.leak': 5,
    'not_occurred.precursor': 4,
    'leading.malicious_code': 3,
    other: 3,
    'availability.disruption': 1,
  },
};

/** Keys are event codes, `attack:<type>` or `attack:none`. */
const CAUSE_AFFINITY: Record<string, Record<string, number>> = {
  'intentional.suspicious_email': {
    'attack:malware_other': 5,
    'attack:ransomware': 2,
    'leading.malware_infection': 3,
    'not_occurred.precursor': 3,
  },
  'intentional.id_spoofing': { 'leading.intrusion': 4, 'confidentiality.leak': 3, 'attack:other': 3 },
  'intentional.ddos': { 'attack:ddos': 10, 'availability.disruption': 2, 'attack:none': -4 },
  'intentional.info_theft': { 'confidentiality.leak': 5, 'attack:other': 2, 'leading.intrusion': 2 },
  'intentional.insider': { 'confidentiality.leak': 5, 'attack:none': 2 },
  'intentional.improper_operation': {
    'attack:none': 2,
    'availability.disruption': 1,
    'confidentiality.leak': 1,
  },
  'accidental.user_operation_error': {
    'attack:none': 4,
    'availability.disruption': 1,
    'confidentiality.leak': 2,
  },
  'accidental.user_management_error': { 'attack:none': 3, 'confidentiality.leak': 3 },
  'accidental.suspicious_file': {
    'leading.malware_infection': 4,
    'attack:malware_other': 4,
    'attack:ransomware': 2,
  },
  'accidental.suspicious_site': {
    'leading.malware_infection': 2,
    'not_occurred.precursor': 2,
    'attack:other': 1,
  },
  'accidental.contractor_error': { 'attack:none': 3, 'availability.disruption': 2, 'attack:ransomware': 1 },
  'accidental.equipment_failure': { 'attack:none': 6, 'availability.disruption': 3, 'attack:ddos': -6 },
  'accidental.vulnerability': { 'attack:ransomware': 4, 'leading.intrusion': 3, 'attack:other': 2 },
  'accidental.spillover': { 'attack:none': 3, 'availability.disruption': 3 },
  'environmental.disaster': { 'attack:none': 5, 'availability.disruption': 3 },
  'other.other': { other: 4, 'attack:none': 1 },
  'other.unknown': { 'not_occurred.precursor': 1, other: 1 },
};

interface Slot {
  event: string;
  attackType: string | null;
  causes: string[];
}

function causeScore(slot: Slot, cause: string): number {
  const prefs = CAUSE_AFFINITY[cause] ?? {};
  return (prefs[slot.event] ?? 0) + (prefs[`attack:${slot.attackType ?? 'none'}`] ?? 0);
}

/** Expands `{a: 2, b: 1}` into `[a, a, b]`, in the order of the record. */
function tokens(counts: Record<string, number>): string[] {
  return Object.entries(counts).flatMap(([code, n]) => Array.from({ length: n }, () => code));
}

/** The index of the best-scoring candidate; the random jitter breaks ties without bias. */
function best<T>(candidates: readonly T[], score: (c: T) => number, rng: Rng): number {
  let bestIndex = -1;
  let bestScore = -Infinity;
  candidates.forEach((c, i) => {
    const s = score(c) + rng.next() * 0.9;
    if (s > bestScore) [bestIndex, bestScore] = [i, s];
  });
  return bestIndex;
}

/**
 * Classifications for one quarter's operator incidents whose counts equal the target exactly.
 *
 * Why it always fits (given checkQuarterTarget: each cause count c <= n, sum of causes >= n): every
 * incident first takes one cause from the pool (possible, the pool holds at least n); a cause that
 * went to f incidents this way has c - f left, and n - f incidents do not carry it yet, which is
 * enough because c <= n. Causes are spread independently of one another. The checks below throw
 * rather than return a dataset that would not count to the target.
 */
export function planQuarterClassifications(
  target: QuarterTarget,
  rng: Rng,
  label = 'quarter',
): Classification[] {
  checkQuarterTarget(target, label);
  const slots: Slot[] = rng
    .shuffle(tokens(target.events))
    .map((event) => ({ event, attackType: null, causes: [] }));
  const n = slots.length;

  // Attack types: the most particular first, so that DDoS lands on service disruption before "other" does.
  const order = ['ddos', 'ransomware', 'malware_other'];
  const attackTokens = tokens(target.attackTypes).sort(
    (a, b) => ((order.indexOf(a) + 4) % 4) - ((order.indexOf(b) + 4) % 4),
  );
  for (const type of attackTokens) {
    const free = slots.filter((s) => s.attackType === null);
    const i = best(free, (s) => ATTACK_AFFINITY[type]?.[s.event] ?? 0, rng);
    if (i < 0) throw new RangeError(`${label}: no incident left for attack type ${type}`);
    free[i]!.attackType = type;
  }

  // First causes: attacked incidents choose first, as their preferences are the sharpest.
  const remaining = new Map(Object.entries(target.causes).filter(([, c]) => c > 0));
  const chooseOrder = [...slots].sort(
    (a, b) => Number(b.attackType !== null) - Number(a.attackType !== null),
  );
  for (const slot of chooseOrder) {
    const pool = [...remaining.keys()];
    // A plentiful cause is a little more attractive, so that rare ones stay for the incidents that want them.
    const i = best(pool, (cause) => causeScore(slot, cause) + (4 * (remaining.get(cause) ?? 0)) / n, rng);
    if (i < 0) throw new RangeError(`${label}: the cause pool ran out before every incident had a cause`);
    const cause = pool[i]!;
    slot.causes.push(cause);
    const left = remaining.get(cause)! - 1;
    if (left === 0) remaining.delete(cause);
    else remaining.set(cause, left);
  }

  // The rest of each cause, over distinct incidents that do not carry it yet.
  for (const [cause, left] of remaining) {
    const eligible = slots.filter((s) => !s.causes.includes(cause));
    if (eligible.length < left) {
      throw new RangeError(
        `${label}: cause ${cause} needs ${left} more incidents, only ${eligible.length} lack it`,
      );
    }
    for (let k = 0; k < left; k++) {
      const i = best(eligible, (s) => causeScore(s, cause) - 2 * (s.causes.length - 1), rng);
      eligible.splice(i, 1)[0]!.causes.push(cause);
    }
  }
  if (slots.length !== n || slots.some((s) => s.causes.length === 0)) {
    throw new RangeError(`${label}: an incident was left without a cause`);
  }
  return rng.shuffle(slots).map((s) => ({ event: s.event, causes: s.causes, attackType: s.attackType }));
}

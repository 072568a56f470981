import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  AuditContent,
  AuditEntry,
  ChainHead,
  ChainProblem,
} from '../../../src/modules/audit/audit.chain.js';
import {
  canonicalForm,
  ChainVerifier,
  entryHash,
  GENESIS_HASH,
  HASH_VERSION,
} from '../../../src/modules/audit/audit.chain.js';

/** An entry's place: id, chain, seq, hash version (2 unless given). */
const at = (id: number, chain: number, seq: number, hash_version = HASH_VERSION) => ({
  id,
  chain,
  seq,
  hash_version,
});

const content = (n: number): AuditContent => ({
  at: `2024-04-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
  actor_user_id: 7,
  actor: 'admin@center.example',
  action: 'incident.read',
  object_type: 'incident',
  object_id: String(n),
  ip: '203.0.113.9',
  request_id: `req-${n}`,
  details: n % 2 ? null : JSON.stringify({ filter: { fy: 2023 }, note: '第一報' }),
});

const PINNED_V2 = '47dcd2ac0b3300dc7ebdef1112560af209ceeb7a3d333722d97545fb7a5de874';

let nextId = 1;
/** A correctly chained run of entries, and the head that vouches for it. */
function chainOf(chain: number, length: number): { entries: AuditEntry[]; head: ChainHead } {
  const entries: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const c = content(seq);
    const place = { id: nextId++, chain, seq, hash_version: HASH_VERSION };
    const hash = entryHash(prev, place, c);
    entries.push({ ...c, ...place, prev_hash: prev, hash });
    prev = hash;
  }
  return { entries, head: { chain, seq: length, hash: prev } };
}

function verify(entries: AuditEntry[], heads: ChainHead[], chains?: number) {
  const problems: ChainProblem[] = [];
  const verifier = new ChainVerifier(heads, (p) => problems.push(p), chains);
  const sorted = [...entries].sort((a, b) => a.chain - b.chain || a.seq - b.seq);
  for (const e of sorted) verifier.add(e);
  return { problems, summary: verifier.finish() };
}

const brief = (problems: ChainProblem[]) =>
  problems.map(({ kind, chain, seq, id }) => ({ kind, chain, seq, id }));

describe('the canonical form and hash', () => {
  it('is a JSON array of every field in a fixed order, and the hash a pinned sha256 over it', () => {
    const c = content(2);
    expect(JSON.parse(canonicalForm(at(0, 3, 2, 1), c))).toEqual([
      3,
      2,
      c.at,
      7,
      'admin@center.example',
      'incident.read',
      'incident',
      '2',
      '203.0.113.9',
      'req-2',
      c.details,
    ]);
    // Pinned (computed independently in Python): entries already written must keep verifying.
    expect(entryHash(GENESIS_HASH, at(41, 3, 2, 1), c)).toBe(
      '9b5b4b912bc0116ca322bd5e203efc0694969ba2c8c9ebb045279b85e4e40285',
    );
  });

  it('version 2 puts a marker and the id first, and the hash covers the id', () => {
    const c = content(2);
    const form = JSON.parse(canonicalForm(at(41, 3, 2), c)) as unknown[];
    expect(form.slice(0, 4)).toEqual(['v2', 41, 3, 2]);
    expect(form.slice(2)).toEqual(JSON.parse(canonicalForm(at(41, 3, 2, 1), c)));
    // Pinned: sha256("0"*64 + "\n" + form), computed with Python's hashlib.
    expect(entryHash(GENESIS_HASH, at(41, 3, 2), c)).toBe(PINNED_V2);
    expect(entryHash(GENESIS_HASH, at(42, 3, 2), c)).not.toBe(PINNED_V2);
    expect(entryHash(GENESIS_HASH, at(41, 3, 2, 1), c)).not.toBe(PINNED_V2);
    expect(() => canonicalForm(at(41, 3, 2, 3), c)).toThrow(RangeError);
  });

  it('changes with every field, with the chain, the seq and the previous hash', () => {
    const fields = Object.keys(content(1)) as Array<keyof AuditContent>;
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.string(), (field, value) => {
        const c = content(1);
        const changed = { ...c, [field]: field === 'actor_user_id' ? 8 : value };
        fc.pre(JSON.stringify(changed[field]) !== JSON.stringify(c[field]));
        expect(entryHash(GENESIS_HASH, at(1, 0, 1), changed)).not.toBe(
          entryHash(GENESIS_HASH, at(1, 0, 1), c),
        );
      }),
    );
    const base = entryHash(GENESIS_HASH, at(1, 0, 1), content(1));
    expect(entryHash(GENESIS_HASH, at(1, 1, 1), content(1))).not.toBe(base);
    expect(entryHash(GENESIS_HASH, at(1, 0, 2), content(1))).not.toBe(base);
    expect(entryHash(GENESIS_HASH, at(2, 0, 1), content(1))).not.toBe(base);
    expect(entryHash('f'.repeat(64), at(1, 0, 1), content(1))).not.toBe(base);
  });

  it('tells null from an empty string and cannot be shifted between fields', () => {
    const c = content(1);
    expect(entryHash(GENESIS_HASH, at(1, 0, 1), { ...c, ip: null })).not.toBe(
      entryHash(GENESIS_HASH, at(1, 0, 1), { ...c, ip: '' }),
    );
    expect(entryHash(GENESIS_HASH, at(1, 0, 1), { ...c, actor: 'a,b', action: 'c' })).not.toBe(
      entryHash(GENESIS_HASH, at(1, 0, 1), { ...c, actor: 'a', action: 'b,c' }),
    );
  });
});

describe('ChainVerifier', () => {
  it('finds nothing wrong with intact chains, and counts entries and chains', () => {
    const a = chainOf(0, 5);
    const b = chainOf(1, 3);
    const empty: ChainHead = { chain: 2, seq: 0, hash: GENESIS_HASH };
    const { problems, summary } = verify([...a.entries, ...b.entries], [a.head, b.head, empty]);
    expect(problems).toEqual([]);
    expect(summary).toEqual({ entries: 8, chains: 2, problems: 0 });
  });

  it('names an edited entry', () => {
    const { entries, head } = chainOf(0, 5);
    entries[2] = { ...entries[2]!, actor: 'someone-else@example' };
    expect(brief(verify(entries, [head]).problems)).toEqual([
      { kind: 'edited', chain: 0, seq: 3, id: entries[2].id },
    ]);
  });

  it('names an entry rewritten with a recomputed hash: its successor no longer links to it', () => {
    const { entries, head } = chainOf(0, 5);
    const e = { ...entries[1]!, object_id: '999' };
    entries[1] = { ...e, hash: entryHash(e.prev_hash, e, e) };
    expect(brief(verify(entries, [head]).problems)).toEqual([
      { kind: 'edited', chain: 0, seq: 2, id: entries[1].id },
    ]);
  });

  it('names a rewritten last entry through its head, and a rewritten first entry through the genesis hash', () => {
    const { entries, head } = chainOf(0, 3);
    const last = { ...entries[2]!, action: 'incident.create' };
    entries[2] = { ...last, hash: entryHash(last.prev_hash, last, last) };
    const first = { ...entries[0]!, prev_hash: 'a'.repeat(64) };
    entries[0] = { ...first, hash: entryHash(first.prev_hash, first, first) };
    entries[1] = {
      ...entries[1]!,
      prev_hash: entries[0].hash,
      hash: entryHash(entries[0].hash, entries[1]!, entries[1]!),
    };
    expect(brief(verify(entries, [head]).problems)).toEqual([
      { kind: 'edited', chain: 0, seq: 1, id: entries[0].id },
      { kind: 'edited', chain: 0, seq: 2, id: entries[1].id },
      { kind: 'head_mismatch', chain: 0, seq: 3, id: entries[2].id },
    ]);
  });

  it('names a deleted entry by the seq that is missing', () => {
    const { entries, head } = chainOf(0, 5);
    entries.splice(2, 1);
    expect(brief(verify(entries, [head]).problems)).toEqual([
      { kind: 'deleted', chain: 0, seq: 3, id: null },
    ]);
  });

  it('sees entries removed from the end (or all of them) through the head', () => {
    const { entries, head } = chainOf(0, 5);
    const other = chainOf(1, 2);
    const { problems } = verify(entries.slice(0, 3), [head, other.head]);
    expect(brief(problems)).toEqual([
      { kind: 'head_mismatch', chain: 0, seq: 4, id: null },
      { kind: 'head_mismatch', chain: 1, seq: 1, id: null },
    ]);
  });

  it('names inserted entries: beyond the head, before seq 1, between seqs, or in a chain without a head', () => {
    const { entries, head } = chainOf(0, 3);
    const forge = (chain: number, seq: number, prev: string): AuditEntry => {
      const c = content(40 + seq);
      const place = at(nextId++, chain, seq);
      return { ...c, ...place, prev_hash: prev, hash: entryHash(prev, place, c) };
    };
    const beyond = forge(0, 4, head.hash);
    const before = forge(0, 0, GENESIS_HASH);
    const between = forge(0, 1.5, entries[0]!.hash);
    const stray = forge(9, 1, GENESIS_HASH);
    const { problems, summary } = verify([...entries, beyond, before, between, stray], [head]);
    expect(brief(problems)).toEqual([
      { kind: 'inserted', chain: 0, seq: 0, id: before.id },
      { kind: 'inserted', chain: 0, seq: 1.5, id: between.id },
      { kind: 'inserted', chain: 0, seq: 4, id: beyond.id },
      { kind: 'inserted', chain: 9, seq: 1, id: stray.id },
    ]);
    expect(summary).toMatchObject({ entries: 7, problems: 4 });
  });

  it('names an entry moved to another id: the id is part of the hash', () => {
    const { entries, head } = chainOf(0, 4);
    const [a, b] = [entries[1]!.id, entries[2]!.id];
    entries[1] = { ...entries[1]!, id: b };
    entries[2] = { ...entries[2]!, id: a };
    expect(brief(verify(entries, [head]).problems)).toEqual([
      { kind: 'edited', chain: 0, seq: 2, id: b },
      { kind: 'edited', chain: 0, seq: 3, id: a },
    ]);
  });

  it('names an entry whose hash version was lowered after a version-2 entry, even with its hash recomputed', () => {
    const { entries, head } = chainOf(0, 3);
    const e = { ...entries[1]!, hash_version: 1 };
    entries[1] = { ...e, hash: entryHash(e.prev_hash, e, e) };
    const problems = verify(entries, [head]).problems;
    expect(brief(problems)).toEqual([{ kind: 'edited', chain: 0, seq: 2, id: e.id }]);
    expect(problems[0]!.message).toMatch(/lowered/);
  });

  it('knows how many chains exist: a chain deleted with its head is named, a stray head too', () => {
    const a = chainOf(0, 2);
    const c = chainOf(2, 2);
    const stray: ChainHead = { chain: 7, seq: 0, hash: GENESIS_HASH };
    const { problems } = verify([...a.entries, ...c.entries], [a.head, c.head, stray], 3);
    expect(brief(problems)).toEqual([
      { kind: 'missing_chain', chain: 1, seq: null, id: null },
      { kind: 'inserted', chain: 7, seq: null, id: null },
    ]);
    // A trail that has not begun (no head, no entry) is a fresh database, not a deleted one.
    expect(verify([], [], 3).problems).toEqual([]);
  });

  it('verifies a chain whose older entries are version 1 (before migration 008) and later ones version 2', () => {
    const entries: AuditEntry[] = [];
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 4; seq++) {
      const c = content(seq);
      const place = at(nextId++, 0, seq, seq <= 2 ? 1 : 2);
      const hash = entryHash(prev, place, c);
      entries.push({ ...c, ...place, prev_hash: prev, hash });
      prev = hash;
    }
    expect(verify(entries, [{ chain: 0, seq: 4, hash: prev }], 1).problems).toEqual([]);
  });
});

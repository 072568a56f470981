import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

/**
 * What to do once a transaction has committed: remember what it made (an organisation's new id,
 * say) only when it is there for good. A rolled-back transaction's hooks are dropped unrun.
 */
const hooks = new WeakMap<Kysely<DB>, Array<() => void>>();

/**
 * Runs `fn` after `trx` commits; at once when `trx` is the database itself (a statement outside a
 * transaction has committed when it returns). Only transactions of inTransaction (and the group
 * commit's savepoints) know when they commit: any other throws, rather than run `fn` too early.
 */
export function onCommit(trx: Kysely<DB>, fn: () => void): void {
  if (!trx.isTransaction) return fn();
  const list = hooks.get(trx);
  if (!list) throw new Error('onCommit needs a transaction opened by inTransaction');
  list.push(fn);
}

/** From now on `trx` collects hooks. */
export function watchCommit(trx: Kysely<DB>): void {
  hooks.set(trx, []);
}

/** `trx` committed: its hooks run, once. */
export function committed(trx: Kysely<DB>): void {
  const list = hooks.get(trx);
  hooks.delete(trx);
  for (const fn of list ?? []) fn();
}

/** `trx` was rolled back: its hooks are dropped. */
export function rolledBack(trx: Kysely<DB>): void {
  hooks.delete(trx);
}

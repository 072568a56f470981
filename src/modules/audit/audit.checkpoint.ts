import type { KeyObject } from 'node:crypto';
import { createPublicKey, sign, verify } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import type { AuditEntry, ChainHead, ChainProblem } from './audit.chain.js';

/**
 * A signed checkpoint: what each chain's head was at one moment, signed with a key the database
 * does not hold. Kept where the database's administrators cannot write, it lets `audit verify
 * --checkpoint` see any rewrite, truncation or deletion made since, even by someone who rewrote
 * entries and heads consistently: that person cannot make the entry at the checkpointed seq have the
 * checkpointed id and hash again (sha256), nor sign a new checkpoint (Ed25519).
 */

export const CHECKPOINT_FORMAT = 'kyoyu-audit-checkpoint/1';

export interface CheckpointChain {
  chain: number;
  /** The head's seq: the chain's entries 1..seq are vouched for. */
  seq: number;
  /** Id and hash of the entry at seq (null and the genesis hash for a chain without entries). */
  last_id: number | null;
  hash: string;
  /** Entries in the chain when the checkpoint was written (seq, for an intact chain). */
  entries: number;
}

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  created_at: string;
  chain_count: number;
  chains: CheckpointChain[];
  /** The signer's Ed25519 public key, base64 of its SPKI DER encoding. */
  public_key: string;
  /** Ed25519 over signedText() of the fields above, base64. */
  signature: string;
}

const checkpointSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  created_at: z.string().max(40),
  chain_count: z.number().int().min(1).max(10_000),
  chains: z
    .array(
      z.object({
        chain: z.number().int().min(0),
        seq: z.number().int().min(0),
        last_id: z.number().int().min(1).nullable(),
        hash: z.string().regex(/^[0-9a-f]{64}$/),
        entries: z.number().int().min(0),
      }),
    )
    .max(10_000),
  public_key: z.string().max(1000),
  signature: z.string().max(1000),
});

/** The bytes signed: every field but the signature, in a fixed order (not the file's own). */
export function signedText(c: Omit<Checkpoint, 'signature'>): string {
  return JSON.stringify([
    c.format,
    c.created_at,
    c.chain_count,
    c.chains.map((h) => [h.chain, h.seq, h.last_id, h.hash, h.entries]),
    c.public_key,
  ]);
}

export const publicKeyText = (key: KeyObject): string =>
  (key.type === 'public' ? key : createPublicKey(key))
    .export({ type: 'spki', format: 'der' })
    .toString('base64');

export function signCheckpoint(
  chains: CheckpointChain[],
  chainCount: number,
  privateKey: KeyObject,
  now = new Date(),
): Checkpoint {
  const body = {
    format: CHECKPOINT_FORMAT,
    created_at: now.toISOString(),
    chain_count: chainCount,
    chains: [...chains].sort((a, b) => a.chain - b.chain),
    public_key: publicKeyText(privateKey),
  } as const;
  const signature = sign(null, Buffer.from(signedText(body), 'utf8'), privateKey).toString('base64');
  return { ...body, signature };
}

/** Parses a checkpoint file's text; a file that is not one is a 400 naming the file. */
export function parseCheckpoint(text: string, file: string): Checkpoint {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('malformed_json', `${file}: ${(error as Error).message}`);
  }
  const parsed = checkpointSchema.safeParse(json);
  if (!parsed.success)
    throw new AppError('validation_failed', `${file} is not a kyoyu audit checkpoint`, [
      { field: 'checkpoint', code: 'invalid_value', message: parsed.error.issues[0]?.message ?? 'invalid' },
    ]);
  return parsed.data;
}

/**
 * Why the checkpoint cannot be trusted, or null: it must carry the signature of the configured key
 * (a checkpoint signed with any other key, its own included, proves nothing).
 */
export function signatureProblem(c: Checkpoint, publicKey: KeyObject): string | null {
  if (c.public_key !== publicKeyText(publicKey))
    return 'the checkpoint was signed with another key than the configured signing key';
  const { signature, ...body } = c;
  const ok = verify(null, Buffer.from(signedText(body), 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  return ok ? null : 'the checkpoint signature does not verify: the checkpoint was altered';
}

/**
 * Compares the trail with a checkpoint. Fed every entry in (chain, seq) order alongside the chain
 * walk, it remembers the entry at each checkpointed seq; the walk proves entries 1..seq link to it,
 * so its id and hash matching the checkpoint's proves they are the checkpointed ones.
 */
export class CheckpointComparison {
  private readonly wanted: Map<number, CheckpointChain>;
  private readonly found = new Map<number, Pick<AuditEntry, 'id' | 'hash'>>();

  constructor(
    private readonly checkpoint: Checkpoint,
    private readonly report: (problem: ChainProblem) => void,
  ) {
    this.wanted = new Map(checkpoint.chains.map((c) => [c.chain, c]));
  }

  add(entry: AuditEntry): void {
    if (this.wanted.get(entry.chain)?.seq === entry.seq) this.found.set(entry.chain, entry);
  }

  finish(heads: readonly ChainHead[], chainCount: number): void {
    const at = this.checkpoint.created_at;
    const problem = (chain: number | null, seq: number | null, id: number | null, message: string) =>
      this.report({ kind: 'checkpoint', chain, seq, id, message: `${message} (checkpoint of ${at})` });
    if (this.checkpoint.chain_count !== chainCount)
      problem(
        null,
        null,
        null,
        `the checkpoint has ${this.checkpoint.chain_count} chains, this deployment ${chainCount}`,
      );
    const headOf = new Map(heads.map((h) => [h.chain, h]));
    for (const want of this.wanted.values()) {
      const head = headOf.get(want.chain);
      const found = this.found.get(want.chain);
      if (!head) {
        problem(want.chain, null, null, `chain ${want.chain} is gone: it had ${want.seq} entries`);
      } else if (head.seq < want.seq) {
        problem(
          want.chain,
          want.seq,
          null,
          `the chain now ends at seq ${head.seq}, before the checkpointed ${want.seq}: truncated`,
        );
      } else if (want.seq > 0 && !found) {
        problem(
          want.chain,
          want.seq,
          want.last_id,
          `the checkpointed entry (id ${want.last_id ?? '-'}) is missing`,
        );
      } else if (found && (found.id !== want.last_id || found.hash !== want.hash)) {
        problem(
          want.chain,
          want.seq,
          found.id,
          `the entry at seq ${want.seq} is not the checkpointed one (id ${want.last_id ?? '-'}, hash ${want.hash.slice(0, 12)}…): the chain was rewritten`,
        );
      }
    }
  }
}

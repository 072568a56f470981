import type { Command } from 'commander';
import { Option } from 'commander';
import type { Regime } from '../domain/regimes.js';
import { describeStage, loadRegimes } from '../modules/regimes/index.js';
import { AppError } from '../platform/errors.js';
import type { CliIo } from './io.js';

const CONFIDENCE: Record<Regime['source']['confidence'], string> = {
  law: 'from the text of the law or order',
  guidance: "from the authority's guidance",
  secondary: 'from secondary sources',
};

function applicability(r: Regime): string {
  const a = r.applies_to;
  const parts = [
    a.sectors ? `sectors ${a.sectors.join(', ')}` : null,
    a.flags ? `organisations flagged ${a.flags.join(', ')}` : null,
    a.facts_any ? `incidents with ${a.facts_any.join(' or ')}` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : 'every incident';
}

export function regimesText(regimes: readonly Regime[]): string {
  const lines: string[] = [];
  for (const r of regimes) {
    lines.push(
      `${r.code} v${r.version} (in force from ${r.effective_from}${r.effective_to ? ` to ${r.effective_to}` : ''})`,
    );
    lines.push(`  ${r.name.ja}`, `  ${r.name.en}`);
    lines.push(`  to: ${r.authority.ja} / ${r.authority.en}`);
    lines.push(`  applies to: ${applicability(r)}`);
    lines.push(`  counted in: ${r.time_zone}${r.holidays ? `, holidays ${r.holidays}` : ''}`);
    for (const s of r.stages) {
      lines.push(`  - ${s.code}: ${s.name.ja} / ${s.name.en}`);
      lines.push(`      ${describeStage(r, s, 'ja')}`, `      ${describeStage(r, s, 'en')}`);
      lines.push(`      items: ${s.items.map((i) => r.items[i]!.en).join('; ')}`);
    }
    lines.push(`  source: ${r.source.url} (read ${r.source.read_on}), ${CONFIDENCE[r.source.confidence]}`);
    if (r.source.note) lines.push(`  note: ${r.source.note}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** `kyoyu regimes list`: the reporting duties kyoyu knows, their stages, deadlines and sources. */
export function registerRegimeCommands(program: Command, io: CliIo): void {
  program
    .command('regimes')
    .description('reporting regimes: the duties an incident can trigger')
    .command('list')
    .description('every regime with its stages, deadlines, sources and how sure they are')
    .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'))
    .option('--file <file>', 'a regimes file to check and show instead of the shipped one')
    .action((opts: { format: 'text' | 'json'; file?: string }) => {
      let regimes: Regime[];
      try {
        regimes = opts.file ? loadRegimes(opts.file) : loadRegimes();
      } catch (error) {
        // A file that is not there, not JSON, or not a regimes file: said in one line, exit 1.
        throw new AppError('validation_failed', (error as Error).message);
      }
      io.out(opts.format === 'json' ? `${JSON.stringify(regimes, null, 2)}\n` : regimesText(regimes));
    });
}

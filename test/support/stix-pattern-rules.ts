/**
 * STIX 2.1 patterns (§9) for the test oracle (stix-rules.ts): a tokenizer, then a recursive descent
 * over the tokens; written apart from src/modules/stix/stix.pattern.ts, which parses characters.
 */
type Token = { kind: 'punct' | 'word' | 'string' | 'number' | 'literal' | 'path'; text: string };

function tokens(pattern: string): Token[] {
  const out: Token[] = [];
  const re =
    /\s*(?:(\[|\]|\(|\)|,)|(!=|<=|>=|=|<|>)|([a-z0-9][a-z0-9-]*:(?:[A-Za-z_][A-Za-z0-9_-]*|'[^']*')(?:\.(?:[A-Za-z_][A-Za-z0-9_-]*|'[^']*')|\[(?:\d+|\*)\])*)|([thb]'(?:[^'\\]|\\.)*')|('(?:[^'\\]|\\['\\])*')|(-?\d+(?:\.\d+)?)|([A-Za-z]+))/y;
  let at = 0;
  while (at < pattern.length) {
    if (/^\s*$/.test(pattern.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(pattern);
    if (!m) throw new Error(`cannot read the pattern at ${at}`);
    at = re.lastIndex;
    if (m[1] || m[2]) out.push({ kind: 'punct', text: (m[1] ?? m[2])! });
    else if (m[3]) out.push({ kind: 'path', text: m[3] });
    else if (m[4]) out.push({ kind: 'literal', text: m[4] });
    else if (m[5]) out.push({ kind: 'string', text: m[5] });
    else if (m[6]) out.push({ kind: 'number', text: m[6] });
    else out.push({ kind: 'word', text: m[7]! });
  }
  return out;
}

/** Null when `pattern` parses as a STIX pattern of comparison expressions, else why not. */
export function patternProblem(pattern: string): string | null {
  let list: Token[];
  try {
    list = tokens(pattern);
  } catch (e) {
    return (e as Error).message;
  }
  let i = 0;
  const is = (text: string) => list[i]?.text === text;
  const expect = (text: string) => {
    if (!is(text)) throw new Error(`expected ${text} at token ${i}`);
    i++;
  };
  const value = () => {
    const t = list[i++];
    if (
      !t ||
      (!['string', 'number', 'literal'].includes(t.kind) &&
        !(t.kind === 'word' && /^(true|false)$/.test(t.text)))
    )
      throw new Error(`value expected at token ${i - 1}`);
  };
  const comparisonTerm = (): void => {
    if (is('(')) {
      i++;
      comparison();
      expect(')');
      return;
    }
    if (list[i]?.kind !== 'path') throw new Error(`object path expected at token ${i}`);
    i++;
    if (is('NOT')) i++;
    if (is('IN')) {
      i++;
      expect('(');
      value();
      while (is(',')) {
        i++;
        value();
      }
      expect(')');
      return;
    }
    const op = list[i++];
    if (
      !op ||
      !['=', '!=', '<', '>', '<=', '>=', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'].includes(op.text)
    )
      throw new Error(`operator expected at token ${i - 1}`);
    value();
  };
  const comparison = (): void => {
    comparisonTerm();
    while (is('AND') || is('OR')) {
      i++;
      comparisonTerm();
    }
  };
  const observation = (): void => {
    if (is('(')) {
      i++;
      observations();
      expect(')');
    } else {
      expect('[');
      comparison();
      expect(']');
    }
  };
  const observations = (): void => {
    observation();
    while (is('AND') || is('OR') || is('FOLLOWEDBY')) {
      i++;
      observation();
    }
  };
  try {
    observations();
    if (i !== list.length) throw new Error(`unexpected ${list[i]!.text}`);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
